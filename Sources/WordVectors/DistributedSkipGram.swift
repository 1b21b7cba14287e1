import Foundation
import LyricsCore

/// Skip-gram over the ranks of an MPI job by model averaging (Ji et al. 2016, "Parallelizing
/// Word2Vec in Shared and Distributed Memory", the pWord2Vec scheme). Every rank builds the same
/// vocabulary from the same corpus and starts from the same vectors (same seed); rank r trains on
/// its own contiguous share of the token stream (`rankSlices`), hogwild as on one machine, with
/// the learning rate following its own progress. Ranks meet only to average rows:
///
/// - the hot rows (the `hotRows` most frequent words, rows 0..<H of syn0 and syn1, since the
///   vocabulary is sorted by count) every `syncWords` raw words per rank: they are updated by
///   every rank all the time, so they drift apart fastest; rare rows barely move between syncs;
/// - every row at each epoch end, and once more after the last epoch, so the written vectors are
///   the same on every rank.
///
/// Averaging divides every rank's step by N (a row moves by the mean of the ranks' changes), so
/// each rank steps with N × `--alpha` (and N × `--min-alpha`): the linear scaling rule, which keeps
/// the averaged model's step what one process takes. Without it, 2 ranks lost 2.7 analogy points
/// on a 4.5M-token corpus; docs/distributed.md has the measurements. (Summing the changes
/// instead of averaging diverged at 4 ranks.)
///
/// The schedule is counted in words, never in seconds, so every rank makes the same collective
/// calls in the same order. A single process (`SingleProcess`) never gets here: its run is the
/// one-machine trainer, bit for bit.
public enum DistributedSkipGram {
    /// The settings each rank trains with: the learning rates times the rank count (see above).
    public static func rankConfig(_ config: SkipGramConfig, ranks: Int) -> SkipGramConfig {
        guard ranks > 1 else { return config }
        var c = config
        c.alpha *= Float(ranks)
        c.minAlpha *= Float(ranks)
        return c
    }

    /// Share of the corpus tokens the default hot rows cover: on verse-2m the 676 most frequent
    /// words cover 80 % (the next 5 % costs 450 more rows, the next 10 % 1,235 more).
    public static let hotCoverage = 0.8

    /// Lines in the token stream: "</s>" ends a line; a last line without one counts.
    public static func lineCount(_ tokens: TokenIDs, newline: Int32?) -> Int {
        guard let last = tokens.last else { return 0 }
        guard let nl = newline else { return 1 }
        var lines = 0
        tokens.forEachChunk { ids, _ in for id in ids where id == nl { lines += 1 } }
        return lines + (last == nl ? 0 : 1)
    }

    /// One line before setup ends when the job has more ranks than the corpus has lines (a rank
    /// would get no text at all).
    public static func checkRanks(_ ranks: Int, lines: Int, file: String) throws {
        guard ranks <= lines else {
            throw LyricsError(file: file, "\(ranks) ranks but only \(lines) line\(lines == 1 ? "" : "s") of text to share among them; start at most \(lines) (mpirun -np \(lines)) or use a larger corpus")
        }
    }

    /// Each rank's token range: contiguous, in rank order, about `count / ranks` tokens each, cut
    /// just after a line end, and none empty when there are at least `ranks` lines (otherwise
    /// the cuts fall between tokens).
    public static func rankSlices(_ tokens: TokenIDs, newline: Int32?, ranks: Int) -> [Range<Int>] {
        let n = tokens.count
        guard ranks > 1 else { return [0..<n] }
        var ends = [Int]()
        if let nl = newline {
            tokens.forEachChunk { ids, first in for (k, id) in ids.enumerated() where id == nl { ends.append(first + k + 1) } }
        }
        if ends.last != n { ends.append(n) }
        var bounds = [0]
        if ends.count < ranks {
            bounds += (1..<ranks).map { n * $0 / ranks }
        } else {
            var previous = -1
            for r in 1..<ranks {
                let target = n * r / ranks
                var lo = 0, hi = ends.count
                while lo < hi { let mid = (lo + hi) / 2; if ends[mid] < target { lo = mid + 1 } else { hi = mid } }
                // The line that ends rank r-1's share: at least one line each, enough left for the rest.
                let line = min(max(lo, previous + 1), ends.count - 1 - (ranks - r))
                bounds.append(ends[line])
                previous = line
            }
        }
        bounds.append(n)
        return (0..<ranks).map { bounds[$0]..<bounds[$0 + 1] }
    }

    /// Rows averaged at every sync: `config.syncRows`, or (0) the most frequent words covering
    /// `hotCoverage` of the tokens; never more than the vocabulary.
    public static func hotRows(config: SkipGramConfig, vocabulary: Vocabulary) -> Int {
        if config.syncRows > 0 { return min(config.syncRows, vocabulary.count) }
        let goal = Double(vocabulary.totalCount) * hotCoverage
        var covered = 0
        for (i, c) in vocabulary.counts.enumerated() {
            covered += c
            if Double(covered) >= goal { return i + 1 }
        }
        return vocabulary.count
    }

    /// Averaging points per epoch, the same on every rank: the shortest share over `syncWords`
    /// (at least 1). The last point of an epoch is its end (all rows); the others average hot rows.
    public static func intervals(slices: [Range<Int>], syncWords: Int) -> Int {
        max(1, (slices.map(\.count).min() ?? 0) / syncWords)
    }

    /// What every rank must agree on before training (`Distributed.agree`): the options that
    /// change the run (not `threads`, which may differ per machine), the vocabulary with its
    /// counts, and the token stream itself.
    public static func fingerprint(config c: SkipGramConfig, vocabulary: Vocabulary, tokens: TokenIDs) -> UInt64 {
        var h = FNV1a()
        h.add("skip-gram \(c.dimensions) \(c.window) \(c.negative) \(c.sample) \(c.alpha) \(c.minAlpha) \(c.epochs) "
              + "\(c.minCount) \(c.seed) \(c.update) \(c.centersPerBatch) \(c.batchNegatives) \(c.chunkTokens) \(c.syncWords) \(c.syncRows)")
        for (w, n) in zip(vocabulary.words, vocabulary.counts) { h.add(w); h.add(n) }
        tokens.forEachChunk { ids, _ in h.add(ids) }
        h.add(tokens.count)
        return h.value
    }
}

/// One rank's averaging, run by worker 0 at its own progress points while the other workers keep
/// training (so only one thread of a rank is ever inside MPI). Worker 0 walks `workerTokens`
/// tokens per epoch; it averages the hot rows when it has done 1/intervals, 2/intervals, ... of
/// them and all rows at the end of every epoch but the last; `finish` (after every worker has
/// stopped) averages all rows once more. Every rank therefore makes exactly
/// epochs · (intervals − 1) hot and `epochs` full averages, whatever its threads' speeds.
final class ModelAverager {
    private let world: Communicator
    private let syn0, syn1: UnsafeMutablePointer<Float>
    private let dim, vocabSize, hotRows, epochs, intervals, workerTokens: Int
    /// Rows per allreduce, so a full average needs at most 4 · blockRows · dim floats of scratch
    /// (4 MB per rank; each row is averaged on its own, so the block size never changes a bit).
    private let blockRows: Int
    private var sum: [Float]
    private var snapshot: [Float]
    private var epoch = 0, doneInEpoch = 0, nextSync = 1
    private(set) var hotAverages = 0, fullAverages = 0
    /// Time worker 0 spent averaging (copies and collectives), on this rank.
    private(set) var seconds = 0.0

    init(world: Communicator, syn0: UnsafeMutablePointer<Float>, syn1: UnsafeMutablePointer<Float>, dimensions: Int,
         vocabSize: Int, hotRows: Int, epochs: Int, intervals: Int, workerTokens: Int) {
        self.world = world
        self.syn0 = syn0
        self.syn1 = syn1
        dim = dimensions
        self.vocabSize = vocabSize
        self.hotRows = hotRows
        self.epochs = epochs
        self.intervals = intervals
        self.workerTokens = workerTokens
        blockRows = max(1, min(vocabSize, (1 << 18) / dimensions))
        sum = [Float](repeating: 0, count: 2 * blockRows * dimensions)
        snapshot = sum
    }

    /// Worker 0 finished a chunk of `words` raw tokens.
    func advance(words: Int) {
        doneInEpoch += words
        while nextSync < intervals && doneInEpoch * intervals >= nextSync * workerTokens {
            average(rows: hotRows)
            hotAverages += 1
            nextSync += 1
        }
        if doneInEpoch >= workerTokens {
            if epoch < epochs - 1 {
                average(rows: vocabSize)
                fullAverages += 1
            }
            epoch += 1
            doneInEpoch = 0
            nextSync = 1
        }
    }

    /// The last full average, once no worker is training.
    func finish() {
        average(rows: vocabSize)
        fullAverages += 1
    }

    /// Averages rows 0..<rows of syn0 and syn1 over the ranks.
    private func average(rows: Int) {
        let start = Date()
        var a = 0
        while a < rows {
            let b = min(a + blockRows, rows)
            averageBlock(a, b)
            a = b
        }
        seconds += Date().timeIntervalSince(start)
    }

    /// Each row becomes row + (mean − snapshot) rather than the mean, so what the other workers
    /// wrote to it while the collective ran is kept instead of overwritten.
    private func averageBlock(_ a: Int, _ b: Int) {
        let count = (b - a) * dim, offset = a * dim
        let s0 = syn0 + offset, s1 = syn1 + offset
        let inverse = 1 / Float(world.size)
        sum.withUnsafeMutableBufferPointer { sumBuffer in
            snapshot.withUnsafeMutableBufferPointer { snapBuffer in
                let s = sumBuffer.baseAddress!, snap = snapBuffer.baseAddress!
                s.update(from: s0, count: count)
                (s + count).update(from: s1, count: count)
                snap.update(from: s, count: 2 * count)
                world.allreduceSum(s, count: 2 * count)
                BLAS.scale(2 * count, inverse, s)
                BLAS.axpy(2 * count, -1, snap, s)
                BLAS.axpy(count, 1, s, s0)
                BLAS.axpy(count, 1, s + count, s1)
            }
        }
    }
}
