import Foundation
import LyricsCore
import NeuralNet
import WordModel
import Generation

/// A word model as a `TokenModel`. Its next-word distribution is the one the model is scored
/// with: softmax(y · ê) over the whole vocabulary for vMF models, softmax(kappa · cos(y, ê)) for
/// cosine models; "<unk>" gets probability 0 so blends never write it.
public final class WordTokenModel: TokenModel {
    public let model: WordModel
    public let table: VectorTable
    public let path: String
    public let tokens: [String]
    public var newlineToken: Int32 { table.newlineID }
    public var kind: ModelKind { .word }
    private var y: [Float]
    private var scores: [Float]

    /// `model` must have batch 1.
    public init(model: WordModel, path: String) {
        precondition(model.batch == 1, "WordTokenModel needs a batch-1 model")
        self.model = model
        table = model.table
        self.path = path
        tokens = table.words.enumerated().map { $0.offset == Int(model.table.newlineID) ? "\n" : $0.element }
        y = [Float](repeating: 0, count: table.dimension)
        scores = [Float](repeating: 0, count: table.count)
        reset()
    }

    /// Loads a checkpoint and its vectors (by default the file the checkpoint names).
    public convenience init(checkpoint path: String, vectors: String? = nil) throws {
        let loaded = try WordCheckpoint.load(path)
        let table = try VectorTable.load(vectors ?? loaded.vectorsPath)
        self.init(model: try WordCheckpoint.model(loaded, table: table, batch: 1, maxSteps: 1), path: path)
    }

    public func reset() {
        model.resetState()
        observe(table.newlineID)
    }

    public func observe(_ token: Int32) {
        var id = token
        let out = model.forward(&id, steps: 1, training: false)
        y.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: out, count: $0.count) }
    }

    public func observe(text: String) {
        for id in table.encode(text) { observe(id) }
    }

    public func distribution(into p: inout [Double]) {
        precondition(p.count == table.count)
        let V = table.count, D = table.dimension
        var scale = 1.0
        y.withUnsafeBufferPointer { yp in
            if model.config.loss == .cosine {
                scale = Double(model.kappa) / Double(max(BLAS.norm(D, yp.baseAddress!), 1e-12))
            }
            table.unit.withUnsafeBufferPointer { u in
                scores.withUnsafeMutableBufferPointer { s in
                    BLAS.gemv(false, V, D, 1, u.baseAddress!, D, yp.baseAddress!, 0, s.baseAddress!)
                }
            }
        }
        scores.withUnsafeBufferPointer { softmax($0.baseAddress!, count: V, scale: scale, excluding: table.unknownID, into: &p) }
    }
}
