import Foundation
import Generation
import LyricsCore
import NeuralNet

/// A word model as a `TokenModel`. Its logits follow a `Retrieval` rule: `cosine`, the
/// notebook's (kappa·cos(y, ê); for vMF models y·ê, the distribution they are trained and scored
/// with), or `prior` (a·s + λ·log p(w), fitted on validation; no "</s>" straight after "</s>", as
/// the normalised training text has no empty line). "<unk>" is never written.
public final class WordTokenModel: TokenModel {
    public let model: WordModel
    public let table: VectorTable
    public let path: String
    public let tokens: [String]
    public let retrieval: Retrieval
    public var newlineToken: Int32 { table.newlineID }
    public var kind: ModelKind { .word }
    public let forbiddenTokens: [Int32]
    private var y: [Float]
    /// Whether the last token read was the newline (the prior rule then gives it no mass).
    private var atLineStart = true
    /// The precision of generation's products: bf16 runs the LSTM and the scores against the
    /// unit table on bf16 copies of the weights (see docs/bench-generation.md for its effect).
    public let precision: Precision
    /// The unit table's bf16 copy (bf16 only), shared by copies and streams.
    let packedUnit: PackedUnitTable?

    /// `model` must have batch 1. `retrieval` nil: `prior` when the model has a fitted prior and
    /// is a cosine model (whose plain rule does not write), else `cosine`. `precision` nil: the
    /// fastest the CPU has; `packedUnit` shares another instance's bf16 table.
    public init(model: WordModel, path: String, retrieval: Retrieval? = nil, precision: Precision? = nil,
                packedUnit: PackedUnitTable? = nil) throws {
        precondition(model.batch == 1, "WordTokenModel needs a batch-1 model")
        let rule = retrieval ?? (model.config.loss == .cosine && model.retrievalPrior != nil ? .prior : .cosine)
        if rule == .prior, model.retrievalPrior == nil {
            throw LyricsError(file: path, "has no fitted prior rule (train it again with this version, or use --retrieval cosine)")
        }
        self.model = model
        self.retrieval = rule
        table = model.table
        self.path = path
        tokens = table.words.enumerated().map { $0.offset == Int(model.table.newlineID) ? "\n" : $0.element }
        forbiddenTokens = [table.unknownID]
        y = [Float](repeating: 0, count: table.dimension)
        self.precision = precision ?? .fastest
        self.packedUnit = self.precision == .bf16 ? (packedUnit ?? PackedUnitTable(model.table)) : nil
        model.stack.precision = self.precision
        model.stack.frozen = true
        reset()
    }

    /// Loads a checkpoint and its vectors (by default the file the checkpoint names).
    public convenience init(checkpoint path: String, vectors: String? = nil, retrieval: Retrieval? = nil, precision: Precision? = nil) throws {
        let loaded = try WordCheckpoint.load(path)
        let table = try VectorTable.load(vectors ?? loaded.vectorsPath)
        try self.init(model: try WordCheckpoint.model(loaded, table: table, batch: 1, maxSteps: 1), path: path, retrieval: retrieval,
                      precision: precision)
    }

    /// A model of the same weights and rule with `batch` streams (weights shared, read only).
    func sibling(batch: Int) -> WordModel {
        let m = WordModel(config: model.config, table: table, batch: batch, maxSteps: 1, seed: 0, sharingWeightsOf: model)
        m.retrievalPrior = model.retrievalPrior
        m.stack.precision = precision
        m.stack.frozen = true
        return m
    }

    /// Another instance over the same weights and vectors (shared), for concurrent generation.
    public func copy() throws -> WordTokenModel {
        try WordTokenModel(model: sibling(batch: 1), path: path, retrieval: retrieval, precision: precision, packedUnit: packedUnit)
    }

    /// The same model under another retrieval rule (weights shared, state its own).
    public func with(retrieval rule: Retrieval) throws -> WordTokenModel {
        try WordTokenModel(model: model, path: path, retrieval: rule, precision: precision, packedUnit: packedUnit)
    }

    public func makeStreams(_ count: Int) -> TokenStreams { WordTokenStreams(self, count: count) }

    public func reset() {
        model.resetState()
        observe(table.newlineID)
    }

    public func observe(_ token: Int32) {
        var id = token
        atLineStart = token == table.newlineID
        let out = model.forward(&id, steps: 1, training: false)
        y.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: out, count: $0.count) }
    }

    public func encode(_ text: String) -> [Int32] { table.encode(text) }

    /// The base scores (one sgemv against the unit table), then the rule's logits.
    public func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        precondition(logits.count == table.count)
        let z = logits.baseAddress!
        y.withUnsafeBufferPointer { model.baseScores($0.baseAddress!, rows: 1, into: z, packed: packedUnit) }
        model.ruleLogits(retrieval, base: z, into: z, afterNewline: atLineStart)
    }

    /// The cosine rule samples among the notebook's 10 nearest words; the prior rule is a
    /// calibrated distribution over the whole vocabulary and samples from all of it (cut to its
    /// 10 best it is the 10 most frequent words nearly everywhere: the unigram, not the model).
    public var defaultTopK: Int? { retrieval == .prior ? nil : 10 }

    /// The layers' state, the line-start flag, then y (last).
    public func saveState() -> [Float] { model.stack.saveState(appending: [atLineStart ? 1 : 0] + y) }

    public func restoreState(_ state: [Float]) {
        let rest = model.stack.restoreState(state)
        atLineStart = rest.first != 0
        y = Array(rest.dropFirst())
    }
}
