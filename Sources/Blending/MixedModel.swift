import Foundation
import Generation
import LyricsCore

/// Two models of one kind as one `TokenModel`: its next-token distribution is w·pA + (1−w)·pB.
/// So a mixed blend writes through the one generation loop (`Generator`) and the song writer
/// like any model, with their line caps, seed handling and stop conditions; what is a blend's
/// own is only the mixture. Token ids differ between models, so both are mapped onto a union
/// vocabulary by spelling (A's tokens first, then B's others); a token one model lacks has
/// probability 0 there and is not fed to it. Sampled at temperature T, q ∝ p^(1/T).
public final class MixedModel: TokenModel {
    public let models: [TokenModel]
    /// Weight of model A, in [0, 1].
    public let weight: Double
    public let tokens: [String]
    /// For each union token, its id in A and in B (−1 = missing).
    public let unionToModel: [[Int32]]
    public let newlineToken: Int32
    public let forbiddenTokens: [Int32]
    public var kind: ModelKind { models[0].kind }
    public var path: String { "\(models[0].path)+\(models[1].path)" }
    /// The mixture is a calibrated distribution over every token: nothing is cut.
    public var defaultTopK: Int? { nil }
    private let modelToUnion: [[Int]]
    private let unionIndex: [String: Int]
    private var p: [[Double]]
    private var mixed: [Double]

    /// Refuses (one line) models of two kinds, and word models over different vectors.
    public init(_ a: TokenModel, _ b: TokenModel, weight: Double = 0.5) throws {
        guard a.kind == b.kind else {
            throw LyricsError(file: b.path, "is a \(b.kind.rawValue) model but \(a.path) is a \(a.kind.rawValue) model; blend two models of one kind")
        }
        if a.kind == .word, a.tokens != b.tokens {
            throw LyricsError(file: b.path, "uses other word vectors than \(a.path); word models blend only over one shared vocabulary")
        }
        guard weight >= 0, weight <= 1 else { throw LyricsError("weight: \(weight) is outside [0, 1]") }
        models = [a, b]
        self.weight = weight
        var union = a.tokens
        var index = [String: Int]()
        for (i, t) in union.enumerated() where index[t] == nil { index[t] = i }
        var bMap = [Int]()
        for t in b.tokens {
            if let i = index[t] { bMap.append(i) } else { index[t] = union.count; bMap.append(union.count); union.append(t) }
        }
        tokens = union
        unionIndex = index
        modelToUnion = [Array(0..<a.tokens.count), bMap]
        var back = [[Int32]](repeating: [Int32](repeating: -1, count: union.count), count: 2)
        for m in 0..<2 { for (i, u) in modelToUnion[m].enumerated() { back[m][u] = Int32(i) } }
        unionToModel = back
        newlineToken = Int32(modelToUnion[0][Int(a.newlineToken)])
        // A token is never written when a model that has it forbids it.
        let maps = [Array(0..<a.tokens.count), bMap]
        forbiddenTokens = Array(Set([a, b].enumerated().flatMap { m, model in model.forbiddenTokens.map { Int32(maps[m][Int($0)]) } })).sorted()
        p = [[Double](repeating: 0, count: a.tokens.count), [Double](repeating: 0, count: b.tokens.count)]
        mixed = [Double](repeating: 0, count: union.count)
    }

    /// w·pA + (1−w)·pB over the union vocabulary for the models' current states. With w = 1 this
    /// is exactly pA (B's terms are skipped, not multiplied by 0), with w = 0 exactly pB.
    public func mixedDistribution() -> [Double] {
        for u in mixed.indices { mixed[u] = 0 }
        for (m, scale) in [(0, weight), (1, 1 - weight)] where scale > 0 {
            models[m].distribution(into: &p[m])
            let map = modelToUnion[m]
            for i in p[m].indices { mixed[map[i]] += scale * p[m][i] }
        }
        return mixed
    }

    /// log of the mixture (−infinity where it is 0), so softmax(logits) is the mixture.
    public func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        let q = mixedDistribution()
        for u in q.indices { logits[u] = q[u] > 0 ? Float(Foundation.log(q[u])) : -.infinity }
    }

    public func reset() { for m in models { m.reset() } }

    public func observe(_ token: Int32) {
        for m in 0..<2 {
            let id = unionToModel[m][Int(token)]
            if id >= 0 { models[m].observe(id) }
        }
    }

    /// Word models share one vocabulary: A's ids are the union's. Char models: each character
    /// by its spelling in the union, so a character only B knows still reaches B.
    public func encode(_ text: String) -> [Int32] {
        if kind == .word { return models[0].encode(text) }
        var ids = [Int32]()
        for c in text {
            if let u = unionIndex[String(c)] { ids.append(Int32(u)); continue }
            ids += models[0].encode(String(c)).map { Int32(modelToUnion[0][Int($0)]) }
        }
        return ids
    }

    /// A's state length, A's state, then B's.
    public func saveState() -> [Float] {
        let a = models[0].saveState()
        return [Float(a.count)] + a + models[1].saveState()
    }

    public func restoreState(_ state: [Float]) {
        let n = Int(state[0])
        models[0].restoreState(Array(state[1..<(1 + n)]))
        models[1].restoreState(Array(state[(1 + n)...]))
    }
}
