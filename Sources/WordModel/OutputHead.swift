import Foundation
import LyricsCore
import NeuralNet

/// How the predicted vector y is turned into a training loss.
///
/// - `vmf`: y's direction is the predicted word and its norm the concentration kappa:
///   p(w) = softmax_w(y · ê_w) over the whole vocabulary with the exact normaliser (one sgemm of
///   Y against the unit table Ê); the loss is −log p(next word).
/// - `cosine`: 1 − cos(y, e_next), as in the original Lstm_Lyrics_Gen notebook. It gives no
///   probabilities by itself; for scoring, a single kappa is fitted on validation text and
///   p(w) = softmax_w(kappa · cos(y, e_w)).
public enum WordLoss: String, Codable, CaseIterable, Sendable { case vmf, cosine }

/// Sums over a chunk of scored rows. `nats` is the negative log-likelihood under the model's
/// distribution (for cosine models at the given kappa); `dKappa`/`d2Kappa` are its first and
/// second derivatives in kappa (cosine only, for the Newton fit); `hits` counts targets ranked
/// in the top 10 by score. `unknownNats` and `newlineNats` are the parts of `nats` whose
/// target is `<unk>` or `</s>` (the comparison's breakdown; zero for the cosine training loss).
public struct HeadStats: Sendable, Equatable {
    public var nats = 0.0
    public var unknownNats = 0.0
    public var newlineNats = 0.0
    public var count = 0
    public var hits = 0
    public var dKappa = 0.0
    public var d2Kappa = 0.0
    public init() {}

    public static func += (a: inout HeadStats, b: HeadStats) {
        a.nats += b.nats; a.unknownNats += b.unknownNats; a.newlineNats += b.newlineNats; a.count += b.count; a.hits += b.hits; a.dKappa += b.dKappa; a.d2Kappa += b.d2Kappa
    }
}

extension HeadStats {
    /// Adds one scored row's negative log-likelihood, also to the `<unk>` or `</s>` part.
    @inline(__always)
    mutating func add(nats x: Double, target t: Int, table: VectorTable) {
        nats += x
        if t == Int(table.unknownID) { unknownNats += x } else if t == Int(table.newlineID) { newlineNats += x }
    }
}

/// The output side of the word model: scores predicted vectors `Y [rows, D]` against the unit
/// table, computes losses and dL/dY. Scratch is allocated once for `maxRows` rows.
public final class OutputHead {
    public let table: VectorTable
    public let maxRows: Int
    /// Rows ranked within this many count as hits.
    public static let topK = 10
    private let scores: FloatBuffer   // [maxRows, V]

    public init(table: VectorTable, maxRows: Int) {
        self.table = table
        self.maxRows = maxRows
        scores = FloatBuffer(count: maxRows * table.count)
    }

    /// vMF loss over `rows` rows (targets < 0 are padding: no loss, zero gradient). When
    /// `gradient` is given it receives `gradScale · (P − onehot) Ê` (one more sgemm).
    @discardableResult
    public func vmf(_ y: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int,
                    gradient: UnsafeMutablePointer<Float>?, gradScale: Float) -> HeadStats {
        precondition(rows <= maxRows)
        let V = table.count, D = table.dimension
        table.baseScores(y, rows: rows, cosine: false, into: scores.pointer)
        var st = HeadStats()
        for r in 0..<rows {
            let z = scores.pointer + r * V
            let t = Int(targets[r])
            guard t >= 0 else {
                if gradient != nil { z.update(repeating: 0, count: V) }
                continue
            }
            let row = RowSoftmax.negativeLogLikelihood(z, count: V, target: t)
            st.add(nats: row.nats, target: t, table: table)
            st.count += 1
            if row.above < Self.topK { st.hits += 1 }
            if gradient != nil { RowSoftmax.toGradient(z, count: V, sum: row.sum, target: t, scale: gradScale) }
        }
        if let gradient {
            table.withUnit { u in
                BLAS.gemm(false, false, rows, D, V, 1, scores.pointer, V, u, D, 0, gradient, D)
            }
        }
        return st
    }

    /// Cosine loss Σ (1 − cos(y, ê_target)) over scored rows (returned in `nats` for uniformity:
    /// it is not a likelihood). The gradient of one row is −(ê_t − c · ŷ) / |y|, scaled.
    @discardableResult
    public func cosine(_ y: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int,
                       gradient: UnsafeMutablePointer<Float>?, gradScale: Float) -> HeadStats {
        let D = table.dimension
        var st = HeadStats()
        table.withUnit { u in
            for r in 0..<rows {
                let t = Int(targets[r])
                let yr = y + r * D
                guard t >= 0 else {
                    gradient.map { ($0 + r * D).update(repeating: 0, count: D) }
                    continue
                }
                let e = u + t * D
                let norm = max(BLAS.norm(D, yr), 1e-12)
                let c = BLAS.dot(D, yr, e) / norm
                st.nats += Double(1 - c)
                st.count += 1
                if let g = gradient.map({ $0 + r * D }) {
                    let a = -gradScale / norm, b = gradScale * c / (norm * norm)
                    for j in 0..<D { g[j] = a * e[j] + b * yr[j] }
                }
            }
        }
        return st
    }

    /// Likelihood of the targets under softmax(kappa · cos(y, ê_w)), with the derivatives in
    /// kappa (dL/dk = Σ E_p[c] − c_t, d²L/dk² = Σ Var_p[c]) so kappa can be fitted by Newton steps.
    public func cosineLikelihood(_ y: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int, kappa: Float) -> HeadStats {
        precondition(rows <= maxRows)
        let V = table.count
        table.baseScores(y, rows: rows, cosine: true, into: scores.pointer)
        var st = HeadStats()
        for r in 0..<rows {
            let t = Int(targets[r])
            guard t >= 0 else { continue }
            let z = scores.pointer + r * V
            let ct = z[t]
            let (m, above) = RowSoftmax.maxAndCountAbove(z, count: V, threshold: ct)
            var sum = 0.0, s1 = 0.0, s2 = 0.0
            for j in 0..<V {
                let c = Double(z[j])
                let e = Double(Foundation.exp(kappa * (z[j] - m)))
                sum += e; s1 += e * c; s2 += e * c * c
            }
            let mean = s1 / sum
            st.add(nats: Foundation.log(sum) - Double(kappa) * Double(ct - m), target: t, table: table)
            st.dKappa += mean - Double(ct)
            st.d2Kappa += max(s2 / sum - mean * mean, 0)
            st.count += 1
            if above < Self.topK { st.hits += 1 }
        }
        return st
    }
}
