import Foundation
import LyricsCore

/// How a worker turns windows into parameter updates (see `Worker`).
public enum SkipGramUpdate: String, Sendable, Equatable, CaseIterable {
    /// word2vec.c's and gensim's per-pair SGD: every (context, center) pair draws its own
    /// negatives and sees the updates of the pairs before it (`PairKernel`).
    case pairs
    /// Per-pair SGD as `pairs`, but a center's whole window shares its K negatives (Ji et al.'s
    /// sampling): 1/(2·radius) of the draws and of the negative rows fetched.
    case window
    /// Ji et al.'s matrix step (`BatchedUpdate`): `centersPerBatch` centers' windows and their
    /// shared negatives in three sgemm calls from the parameters before the step.
    case matrix
}

/// How several threads of one process share the work (see `SkipGramTrainer.train(tokens:threads:)`).
public enum SkipGramParallelism: String, Sendable, Equatable, CaseIterable {
    /// word2vec.c's: every thread writes one shared copy of the vectors without locks.
    case hogwild
    /// Every thread trains its own copy on its share of the corpus, and the copies are averaged
    /// as `mpirun` ranks' are (`DistributedSkipGram`, `ThreadRanks`): no row is written by two
    /// threads between averages.
    case ranks
}

/// Hyper-parameters of the skip-gram trainer. Defaults are word2vec.c's / gensim's for `sg=1`, so a
/// run without options is directly comparable with `gensim.models.Word2Vec(sg=1)`.
public struct SkipGramConfig: Sendable, Equatable {
    /// Vector length.
    public var dimensions = 100
    /// Maximum window radius; each center word draws a reduced radius in 1...window.
    public var window = 5
    /// Negative samples per (context, center) pair (shared by a window or batch unless `update` is `pairs`).
    public var negative = 5
    /// Subsampling threshold for frequent words (gensim's `sample`); 0 disables it.
    public var sample = 1e-3
    /// Starting learning rate.
    public var alpha: Float = 0.025
    /// Learning-rate floor reached at the end of training (word2vec.c: 0.0001 * starting alpha).
    public var minAlpha: Float = 0.0001 * 0.025
    /// Passes over the corpus.
    public var epochs = 5
    /// Words seen fewer times fold into "<unk>" (see `Vocabulary.build`).
    public var minCount = 5
    /// Worker threads.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// How the threads share the vectors.
    public var parallel = SkipGramParallelism.hogwild
    /// Seeds initial vectors and every worker's generator; one thread + same seed = same bits.
    public var seed: UInt64 = 1
    /// Update scheme; `pairs` is the exact word2vec.c algorithm.
    public var update = SkipGramUpdate.pairs
    /// With `update == .matrix`: consecutive center words whose windows are stacked into one
    /// matrix update (they share negatives). 1 is Ji et al.'s scheme;
    /// larger values trade a little quality for fewer BLAS calls.
    public var centersPerBatch = 1
    /// Negatives drawn per batch when several centers share a batch (0 = `negative`). Each row's
    /// negative weight is scaled by negative / batchNegatives, so every (context, center) pair
    /// still carries the loss of `negative` negatives in expectation, from more distinct words.
    public var batchNegatives = 0
    /// Raw tokens per work chunk: windows do not cross chunk ends (like gensim's 10000-word jobs).
    public var chunkTokens = 10_000
    /// Distributed runs only: raw words each rank trains between two averages of the hot rows
    /// (see `DistributedSkipGram`). 50,000 is about 0.05 s of one release-build thread at dim 100.
    public var syncWords = 50_000
    /// Distributed runs only: rows averaged at each sync, the most frequent words
    /// (0 = those covering `DistributedSkipGram.hotCoverage` of the tokens).
    public var syncRows = 0

    public init() {}

    /// Negative samples drawn per batch.
    public var negativesPerBatch: Int { batchNegatives > 0 ? batchNegatives : negative }

    /// Checks ranges, naming the offending option in the message.
    public func validate() throws {
        func need(_ ok: Bool, _ msg: String) throws { if !ok { throw LyricsError(msg) } }
        try need(dimensions >= 1 && dimensions <= 10_000, "--dimensions must be in 1...10000")
        try need(window >= 1 && window <= 100, "--window must be in 1...100")
        try need(negative >= 1 && negative <= 100, "--negative must be in 1...100")
        try need(sample >= 0 && sample < 1, "--sample must be in [0, 1)")
        try need(alpha > 0 && alpha < 10, "--alpha must be in (0, 10)")
        try need(minAlpha >= 0 && minAlpha <= alpha, "--min-alpha must be in [0, alpha]")
        try need(epochs >= 1 && epochs <= 1000, "--epochs must be in 1...1000")
        try need(minCount >= 1, "--min-count must be at least 1")
        try need(threads >= 1 && threads <= 256, "--threads must be in 1...256")
        try need(centersPerBatch >= 1 && centersPerBatch <= 64, "--centers-per-batch must be in 1...64")
        try need(batchNegatives >= 0 && batchNegatives <= 200, "--batch-negatives must be in 0...200")
        try need(update == .matrix || (centersPerBatch == 1 && batchNegatives == 0),
                 "--centers-per-batch and --batch-negatives need --update matrix")
        try need(chunkTokens >= 10, "chunk size must be at least 10 tokens")
        try need(syncWords >= 100 && syncWords <= 1_000_000_000, "--sync-words must be in 100...1000000000")
        try need(syncRows >= 0 && syncRows <= 100_000_000, "--sync-rows must be in 0...100000000 (0 = automatic)")
    }
}
