import Foundation
import Generation
import LyricsCore
import NeuralNet

/// A word model's candidate streams as one batch: the LSTM steps every stream in one matrix
/// product per layer and the predicted vectors of all streams are scored against the unit table
/// in one more, instead of one matrix-vector product per stream (`TokenStreams`).
final class WordTokenStreams: TokenStreams {
    private let owner: WordTokenModel
    private let model: WordModel
    let count: Int
    private var ids: [Int32]
    /// Predicted vectors [count, D], and per stream whether it last read the newline.
    private var y: [Float]
    private var atLineStart: [Bool]

    init(_ owner: WordTokenModel, count: Int) {
        precondition(count >= 1)
        self.owner = owner
        self.count = count
        model = owner.sibling(batch: count)
        ids = [Int32](repeating: 0, count: count)
        y = [Float](repeating: 0, count: count * owner.table.dimension)
        atLineStart = [Bool](repeating: true, count: count)
    }

    func start(from state: [Float]) {
        let D = owner.table.dimension
        for s in 0..<count {
            let rest = model.stack.setState(ofStream: s, from: state)
            atLineStart[s] = rest.first != 0
            y.withUnsafeMutableBufferPointer { p in
                for (j, v) in rest.dropFirst().prefix(D).enumerated() { p[s * D + j] = v }
            }
        }
    }

    func observe(_ tokens: [Int32]) {
        precondition(tokens.count == count)
        ids = tokens
        for s in 0..<count { atLineStart[s] = tokens[s] == owner.table.newlineID }
        let out = ids.withUnsafeBufferPointer { model.forward($0.baseAddress!, steps: 1, training: false) }
        y.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: out, count: $0.count) }
    }

    func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        let V = owner.table.count
        precondition(logits.count == V * count)
        let z = logits.baseAddress!
        y.withUnsafeBufferPointer { model.baseScores($0.baseAddress!, rows: count, into: z, packed: owner.packedUnit) }
        for s in 0..<count {
            model.ruleLogits(owner.retrieval, base: z + s * V, into: z + s * V, afterNewline: atLineStart[s])
        }
    }

    func state(of stream: Int) -> [Float] {
        let D = owner.table.dimension
        return model.stack.state(ofStream: stream, appending: [atLineStart[stream] ? 1 : 0] + y[(stream * D)..<((stream + 1) * D)])
    }
}
