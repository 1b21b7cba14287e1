import Foundation
import Generation
import LyricsCore
import NeuralNet

/// A char model as a `TokenModel`: a batch-1, one-step copy of the network whose last logits
/// are kept, so the generation stack can ask for the next character's scores at any time.
public final class CharTokenModel: TokenModel {
    public let model: CharModel
    public let path: String
    public let tokens: [String]
    public let newlineToken: Int32
    public var kind: ModelKind { .char }
    public var forbiddenTokens: [Int32] { [] }
    private var last: [Float]
    /// The precision of generation's products (bf16: the LSTM on bf16 copies of its weights).
    public let precision: Precision

    /// `model` must have batch 1. Its vocabulary needs a newline (ours always has one).
    /// `precision` nil: the fastest the CPU has.
    public init(model: CharModel, path: String, precision: Precision? = nil) throws {
        precondition(model.batch == 1, "CharTokenModel needs a batch-1 model")
        guard let nl = model.vocabulary.id(of: 0x0A) else {
            throw LyricsError(file: path, "the model's vocabulary has no newline, so it cannot write lines")
        }
        self.model = model
        self.path = path
        tokens = model.vocabulary.symbols.map { String(decoding: [$0], as: UTF8.self) }
        newlineToken = nl
        last = [Float](repeating: 0, count: model.vocabulary.count)
        self.precision = precision ?? .fastest
        model.stack.precision = self.precision
        model.stack.frozen = true
        reset()
    }

    /// Loads a checkpoint's weights.
    public convenience init(checkpoint path: String, precision: Precision? = nil) throws {
        let loaded = try CharCheckpoint.load(path)
        try self.init(model: CharCheckpoint.model(loaded, batch: 1, maxSteps: 1), path: path, precision: precision)
    }

    /// A model of the same weights with `batch` streams (weights shared, read only).
    func sibling(batch: Int) -> CharModel {
        let m = CharModel(config: model.config, vocabulary: model.vocabulary, batch: batch, maxSteps: 1, seed: 0,
                          sharingWeightsOf: model)
        m.stack.precision = precision
        m.stack.frozen = true
        return m
    }

    /// Another instance over the same weights (shared), for concurrent generation.
    public func copy() throws -> CharTokenModel {
        try CharTokenModel(model: sibling(batch: 1), path: path, precision: precision)
    }

    public func makeStreams(_ count: Int) -> TokenStreams { CharTokenStreams(self, count: count) }

    public func reset() {
        model.resetState()
        observe(newlineToken)
    }

    public func observe(_ token: Int32) {
        var id = token
        let out = model.forward(&id, steps: 1, training: false)
        last.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: out, count: $0.count) }
    }

    public func encode(_ text: String) -> [Int32] { model.vocabulary.encode(text).ids }

    public func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        precondition(logits.count == last.count)
        last.withUnsafeBufferPointer { logits.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
    }

    public func saveState() -> [Float] { model.stack.saveState(appending: last) }

    public func restoreState(_ state: [Float]) { last = Array(model.stack.restoreState(state)) }
}

/// A char model's candidate streams as one batch: one matrix product per layer and step for all
/// streams (`TokenStreams`).
final class CharTokenStreams: TokenStreams {
    private let model: CharModel
    let count: Int
    private let V: Int
    /// The last logits of every stream [count, V].
    private var last: [Float]

    init(_ owner: CharTokenModel, count: Int) {
        precondition(count >= 1)
        model = owner.sibling(batch: count)
        self.count = count
        V = owner.tokens.count
        last = [Float](repeating: 0, count: count * V)
    }

    func start(from state: [Float]) {
        for s in 0..<count {
            let rest = model.stack.setState(ofStream: s, from: state)
            for (j, v) in rest.prefix(V).enumerated() { last[s * V + j] = v }
        }
    }

    func observe(_ tokens: [Int32]) {
        precondition(tokens.count == count)
        let out = tokens.withUnsafeBufferPointer { model.forward($0.baseAddress!, steps: 1, training: false) }
        last.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: out, count: $0.count) }
    }

    func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        precondition(logits.count == last.count)
        last.withUnsafeBufferPointer { logits.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
    }

    func state(of stream: Int) -> [Float] { model.stack.state(ofStream: stream, appending: Array(last[(stream * V)..<((stream + 1) * V)])) }
}
