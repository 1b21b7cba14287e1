import ArgumentParser
import Foundation
import LyricsCore
import WordVectors

/// `lyrics vectors train`: skip-gram negative sampling on a corpus, writing <out>.vec and <out>.bin.
struct VectorsTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train skip-gram word vectors (negative sampling, hogwild threads).",
        discussion: """
            Writes <out>.vec (word2vec text) and <out>.bin (word2vec binary); both load in gensim.
            Under Open MPI (mpirun -np N lyrics vectors train ...) each rank trains on 1/N of the corpus and the
            ranks average their vectors (--sync-words, --sync-rows; docs/distributed.md); rank 0 writes the files.
            """
    )

    @OptionGroup var source: CorpusOptions
    @Option(help: "Part of the fixed train/valid/test split to train on (train, valid, test, all).")
    var part = CorpusSplit.Part.train
    @Option(help: "Output path prefix; .vec and .bin are appended.")
    var out = "vectors/verse-2m"
    @Option(help: "Vector dimensions.") var dimensions = 100
    @Option(help: "Maximum window radius.") var window = 5
    @Option(help: "Negative samples per center word.") var negative = 5
    @Option(help: "Subsampling threshold for frequent words (0 = off).") var sample = 1e-3
    @Option(help: "Starting learning rate (under mpirun each of N ranks steps with N times it).") var alpha: Float = 0.025
    @Option(help: "Final learning rate.") var minAlpha: Float = 0.0001 * 0.025
    @Option(help: "Passes over the corpus.") var epochs = 5
    @Option(help: "Words seen fewer times become <unk>.") var minCount = 5
    @Option(help: "Worker threads (default: all cores).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Random seed; with --threads 1 the output is bitwise reproducible.") var seed: UInt64 = 1
    @Option(help: "How threads share the vectors: hogwild (one copy, word2vec.c's) or ranks (a copy per thread, averaged as mpirun ranks are; docs/bench-word2vec.md).")
    var parallel = SkipGramConfig().parallel
    @Option(help: "Update scheme: pairs (gensim's per-pair SGD), window (a center's window shares its negatives), matrix (Ji et al.'s sgemm batches).")
    var update = SkipGramConfig().update
    @Option(help: "Consecutive center words per matrix update (they share negatives).") var centersPerBatch = 1
    @Option(help: "Negatives drawn per batch, weights scaled to --negative (0 = --negative).") var batchNegatives = 0
    @Option(help: "Under mpirun: raw words each rank trains between averages of the frequent words' rows.") var syncWords = 50_000
    @Option(help: "Under mpirun: rows (most frequent words) averaged at each sync (0 = the words covering 80% of the tokens).") var syncRows = 0
    @Option(help: "Also write the token stream gensim should see (benchmarks).") var tokensOut: String?
    @Option(help: "Write training statistics as JSON to this file (benchmarks).") var statsOut: String?
    @Flag(help: "No progress on stderr.") var quiet = false

    var config: SkipGramConfig {
        var c = SkipGramConfig()
        c.dimensions = dimensions; c.window = window; c.negative = negative; c.sample = sample
        c.alpha = alpha; c.minAlpha = minAlpha; c.epochs = epochs; c.minCount = minCount
        c.threads = threads; c.parallel = parallel; c.seed = seed; c.centersPerBatch = centersPerBatch
        c.batchNegatives = batchNegatives; c.update = update; c.syncWords = syncWords; c.syncRows = syncRows
        return c
    }

    func validate() throws {
        do { try config.validate() } catch let e as LyricsError { throw ValidationError(e.problem) }
        guard !out.isEmpty else { throw ValidationError("--out: must not be empty") }
    }

    func run() throws {
        let world = try Distributed.world()
        let loadStart = Date()
        let corpus = source.corpus
        let data: TrainingData
        if case .text = try source.source(), source.splitBy != .song {
            // Plain text streams in, so the 120 MB full corpus is never held raw and normalised at once.
            data = try TrainingData.load(corpus: corpus, part: part, minCount: minCount)
        } else {
            let loaded = try source.load()
            data = try TrainingData.load(normalized: loaded.split.text(part, whole: loaded.text), file: corpus, part: part, minCount: minCount)
        }
        if !quiet {
            ProgressReporter.write(String(format: "%@: %d tokens, %d words in vocabulary (read in %.1fs)\n",
                                          corpus, data.tokens.count, data.vocabulary.count, Date().timeIntervalSince(loadStart)))
        }
        if world.isDistributed {
            try DistributedSkipGram.checkRanks(world.size, lines: DistributedSkipGram.lineCount(data.tokens, newline: data.vocabulary.newlineID), file: corpus)
        }
        let trainer = try SkipGramTrainer(config: config, vocabulary: data.vocabulary)
        try Distributed.agree(fingerprint: DistributedSkipGram.fingerprint(config: config, vocabulary: data.vocabulary, tokens: data.tokens))
        if let tokensOut, world.isRoot { try data.writeTokenLines(to: tokensOut) }
        let progress = ProgressReporter(label: "train", total: Double(data.tokens.count * epochs), unit: "words", enabled: !quiet)
        let stats = world.isDistributed ? trainer.train(tokens: data.tokens, progress: progress, world: world)
            : try trainer.train(tokens: data.tokens, threads: parallel, progress: progress)
        progress.finish(String(format: "%@ words/s", ProgressReporter.humanCount(stats.wordsPerSecond)))
        if world.isDistributed && !quiet {
            ProgressReporter.write(String(format: "%d ranks: %d hot averages of %d rows and %d full averages each; %.2fs averaging on rank 0\n",
                                          world.size, stats.hotAverages, stats.syncRows, stats.fullAverages, stats.syncSeconds))
        }
        guard world.isRoot else { return }
        let e = trainer.embedding
        try VectorFile.write(e, to: out + ".vec", format: .text)
        try VectorFile.write(e, to: out + ".bin", format: .binary)
        if let statsOut {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            var obj = try JSONSerialization.jsonObject(with: enc.encode(stats)) as! [String: Any]
            obj["words_per_second"] = stats.wordsPerSecond
            obj["vocabulary"] = data.vocabulary.count
            obj["tokens"] = data.tokens.count
            try AtomicFile.write(JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys]), to: statsOut)
        }
        print("wrote \(out).vec and \(out).bin: \(e.count) words × \(e.dimensions); "
              + String(format: "%.1fs training, %.0f words/s", stats.seconds, stats.wordsPerSecond))
    }
}
