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

    /// `model` must have batch 1. Its vocabulary needs a newline (ours always has one).
    public init(model: CharModel, path: String) throws {
        precondition(model.batch == 1, "CharTokenModel needs a batch-1 model")
        guard let nl = model.vocabulary.id(of: 0x0A) else {
            throw LyricsError(file: path, "the model's vocabulary has no newline, so it cannot write lines")
        }
        self.model = model
        self.path = path
        tokens = model.vocabulary.symbols.map { String(decoding: [$0], as: UTF8.self) }
        newlineToken = nl
        last = [Float](repeating: 0, count: model.vocabulary.count)
        reset()
    }

    /// Loads a checkpoint's weights.
    public convenience init(checkpoint path: String) throws {
        let loaded = try CharCheckpoint.load(path)
        try self.init(model: CharCheckpoint.model(loaded, batch: 1, maxSteps: 1), path: path)
    }

    /// Another instance over the same weights (copied), for concurrent generation.
    public func copy() throws -> CharTokenModel {
        let m = CharModel(config: model.config, vocabulary: model.vocabulary, batch: 1, maxSteps: 1, seed: 0)
        m.copyParameters(from: model)
        return try CharTokenModel(model: m, path: path)
    }

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
