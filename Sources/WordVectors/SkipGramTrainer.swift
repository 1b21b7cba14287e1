import Foundation
import LyricsCore

/// What a training run measured, for the CLI summary and the benchmark script.
public struct TrainingStats: Sendable, Codable {
    /// Raw corpus tokens × epochs (the benchmark's words/s numerator, same as for gensim).
    public var rawWords: Int
    /// Tokens that survived subsampling, summed over epochs.
    public var trainedWords: Int
    public var seconds: Double
    /// Process CPU seconds (all threads) spent training: on a shared machine words / CPU second
    /// compares trainers better than wall time does.
    public var cpuSeconds: Double = 0
    /// Distributed runs (`DistributedSkipGram`): ranks, rows per hot average, how many hot and
    /// full averages each rank made, and the seconds rank 0's worker 0 spent in them.
    public var ranks = 1
    public var syncRows = 0
    public var hotAverages = 0
    public var fullAverages = 0
    public var syncSeconds = 0.0
    public var wordsPerSecond: Double { seconds > 0 ? Double(rawWords) / seconds : 0 }
}

/// Skip-gram with negative sampling trained hogwild (word2vec.c's scheme): every worker owns a
/// contiguous slice of the token stream, runs all epochs over it and writes the shared matrices
/// without locks. A worker subsamples a chunk of raw tokens, then walks it center word by center
/// word with a reduced window drawn per center, and trains each (context, center) pair with
/// `PairKernel` (or, `--update matrix`, whole windows with `BatchedUpdate`). The learning rate
/// decays linearly with the worker's own progress, which tracks global progress because slices
/// are equal.
/// With one thread the run is a pure function of (tokens, vocabulary, config) — bitwise.
public final class SkipGramTrainer {
    public let config: SkipGramConfig
    public let vocabulary: Vocabulary
    /// Input vectors (the word vectors), `vocabulary.count × dimensions`, row-major.
    public private(set) var syn0: [Float]
    /// Output vectors for negative sampling; start at zero like word2vec.c.
    public private(set) var syn1: [Float]
    let sigmoid = SigmoidTable()
    let unigram: UnigramTable
    let subsampler: Subsampler

    public init(config: SkipGramConfig, vocabulary: Vocabulary) throws {
        try config.validate()
        self.config = config
        self.vocabulary = vocabulary
        let v = vocabulary.count, d = config.dimensions
        // word2vec.c's initialisation: uniform in [-0.5/d, 0.5/d).
        var rng = SeededRandom(seed: config.seed)
        syn0 = (0..<(v * d)).map { _ in (rng.nextFloat() - 0.5) / Float(d) }
        syn1 = [Float](repeating: 0, count: v * d)
        unigram = UnigramTable(counts: vocabulary.counts)
        subsampler = Subsampler(counts: vocabulary.counts, sample: config.sample)
    }

    /// Trains on `tokens` (ids from `vocabulary.encode`, "</s>" and "<unk>" included). In a job
    /// of several ranks (`world`), every rank passes the same whole stream, trains on its own
    /// share and averages with the others (`DistributedSkipGram`); all ranks end with the same
    /// vectors. Progress then shows rank 0's words times the ranks.
    @discardableResult
    public func train(tokens all: [Int32], progress: ProgressReporter? = nil, world: Communicator = SingleProcess()) -> TrainingStats {
        train(tokens: TokenIDs(all), progress: progress, world: world)
    }

    /// `threadsPerRank` (default `config.threads`) is how many hogwild threads this rank runs.
    @discardableResult
    public func train(tokens all: TokenIDs, progress: ProgressReporter? = nil, world: Communicator = SingleProcess(),
                      threadsPerRank: Int? = nil) -> TrainingStats {
        let share = DistributedSkipGram.rankSlices(all, newline: vocabulary.newlineID, ranks: world.size)
        precondition(!world.isDistributed || share.allSatisfy { !$0.isEmpty }, "every rank needs tokens (DistributedSkipGram.checkRanks)")
        let mine = share[world.rank]
        let threads = max(1, min(threadsPerRank ?? config.threads, mine.count / 100 + 1))
        BLAS.setThreads(1)
        let started = Date(), cpuStarted = clock()
        let totalWork = Double(all.count * config.epochs)
        let meter = SharedMeter()
        var trained = [Int](repeating: 0, count: threads)
        let cfg = DistributedSkipGram.rankConfig(config, ranks: world.size), sig = sigmoid, uni = unigram, sub = subsampler
        let vocabSize = vocabulary.count
        let hotRows = DistributedSkipGram.hotRows(config: config, vocabulary: vocabulary)
        var averager: ModelAverager?
        do {
            syn0.withUnsafeMutableBufferPointer { s0 in
                syn1.withUnsafeMutableBufferPointer { s1 in
                    trained.withUnsafeMutableBufferPointer { tr in
                        let p0 = s0.baseAddress!, p1 = s1.baseAddress!, tr = tr.baseAddress!
                        if world.isDistributed {
                            averager = ModelAverager(world: world, syn0: p0, syn1: p1, dimensions: cfg.dimensions, vocabSize: vocabSize,
                                                     hotRows: hotRows, epochs: cfg.epochs,
                                                     intervals: DistributedSkipGram.intervals(slices: share, syncWords: cfg.syncWords),
                                                     workerTokens: mine.count / threads)
                        }
                        let sync = averager
                        let work = { (t: Int) in
                            let lo = mine.lowerBound + mine.count * t / threads, hi = mine.lowerBound + mine.count * (t + 1) / threads
                            let worker = Worker(config: cfg, sigmoid: sig, unigram: uni, subsampler: sub,
                                                vocabSize: vocabSize, seed: cfg.seed &+ UInt64(world.rank * threads + t) &* 0x9E37_79B9)
                            tr[t] = worker.run(tokens: all, range: lo..<hi, syn0: p0, syn1: p1) { words, alpha in
                                let done = meter.add(words)
                                progress?.update(done: Double(done * world.size), extra: String(format: "lr %.5f", alpha))
                                if t == 0 { sync?.advance(words: words) }
                            }
                        }
                        if threads == 1 {
                            work(0)
                        } else {
                            let group = DispatchGroup()
                            for t in 0..<threads {
                                group.enter()
                                let thread = Thread { work(t); group.leave() }
                                thread.stackSize = 1 << 22
                                thread.start()
                            }
                            group.wait()
                        }
                        sync?.finish()
                    }
                }
            }
        }
        var sums = [Double(trained.reduce(0, +))], longest = [Date().timeIntervalSince(started)]
        world.allreduceSum(&sums)
        world.allreduceMax(&longest)
        var stats = TrainingStats(rawWords: all.count * config.epochs, trainedWords: Int(sums[0]), seconds: longest[0],
                                  cpuSeconds: Double(clock() - cpuStarted) / Double(CLOCKS_PER_SEC))
        if let averager {
            stats.ranks = world.size
            stats.syncRows = hotRows
            stats.hotAverages = averager.hotAverages
            stats.fullAverages = averager.fullAverages
            stats.syncSeconds = averager.seconds
        }
        progress?.update(done: totalWork, extra: String(format: "lr %.5f", config.minAlpha), force: true)
        return stats
    }

    /// Trains `config.threads` threads in one process as `config.parallel` says: hogwild on
    /// this trainer's vectors, or (`.ranks`) one trainer per thread, averaged as ranks
    /// (`ThreadRanks`). One thread is the hogwild run. This trainer is rank 0 and the others are
    /// made like it (same seed, so the same starting vectors), so ranks cost one more copy of the
    /// matrices per thread, not two.
    @discardableResult
    public func train(tokens all: TokenIDs, threads parallel: SkipGramParallelism, progress: ProgressReporter? = nil) throws -> TrainingStats {
        let n = min(config.threads, max(1, DistributedSkipGram.lineCount(all, newline: vocabulary.newlineID)))
        guard parallel == .ranks, n > 1 else { return train(tokens: all, progress: progress) }
        let config = self.config, vocabulary = self.vocabulary
        let trainers = try [self] + (1..<n).map { _ in try SkipGramTrainer(config: config, vocabulary: vocabulary) }
        let stats = ThreadRanks.run(size: n) { world in
            trainers[world.rank].train(tokens: all, progress: world.rank == 0 ? progress : nil, world: world, threadsPerRank: 1)
        }
        return stats[0]
    }

    /// The trained input vectors with their words.
    public var embedding: WordEmbedding {
        WordEmbedding(words: vocabulary.words, counts: vocabulary.counts, dimensions: config.dimensions, vectors: syn0)
    }
}

/// Counts finished raw words across workers for the progress line.
final class SharedMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    func add(_ n: Int) -> Int { lock.lock(); defer { lock.unlock() }; done += n; return done }
}
