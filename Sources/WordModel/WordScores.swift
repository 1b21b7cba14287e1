import Foundation
import LyricsCore
import NeuralNet

/// The word model's one scoring path. Training (`OutputHead`), evaluation (`score`, the kappa
/// fit), the prior fit (`baseScores`), the retrieval comparison (`retrievalHits`) and generation
/// (`WordTokenModel.logits`) all turn a predicted vector y into next-word scores here, so the
/// figures a report shows are those of the distribution the model writes with.
///
/// The base score s of word w is y·ê_w for vMF models (|y| is the concentration) and cos(y, ê_w)
/// for cosine models (y's norm carries nothing the loss trained). A rule (`Retrieval`) then
/// turns s into logits.
extension VectorTable {
    /// The unit rows scored against: the whole table, or (for a sampled softmax that scores a
    /// subset of the vocabulary per step) any `count` rows of dimension `dimension` gathered by
    /// the caller; column j of the scores is then row j of `rows`.
    public struct ScoredRows {
        public let rows: UnsafePointer<Float>
        public let count: Int
        public init(rows: UnsafePointer<Float>, count: Int) {
            self.rows = rows
            self.count = count
        }
    }

    /// Base scores of `rows` predicted vectors `y [rows, D]` into `scores [rows, columns.count]`,
    /// divided by max(|y|, 1e-12) when `cosine`. `columns` nil: every word of the table. One row
    /// (generation) is one sgemv with the division as its alpha, several rows one sgemm and a
    /// scaling pass: the two kernels round differently, and each caller keeps the one its
    /// figures were made with.
    public func baseScores(_ y: UnsafePointer<Float>, rows: Int, cosine: Bool, into scores: UnsafeMutablePointer<Float>,
                           columns: ScoredRows? = nil) {
        let D = dimension
        func run(_ u: UnsafePointer<Float>, _ V: Int) {
            if rows == 1 {
                let scale = cosine ? Self.inverseNorm(y, D) : 1
                BLAS.gemv(false, V, D, scale, u, D, y, 0, scores)
                return
            }
            BLAS.gemm(false, true, rows, V, D, 1, y, D, u, D, 0, scores, V)
            guard cosine else { return }
            for r in 0..<rows { RowSoftmax.scale(scores + r * V, count: V, by: Self.inverseNorm(y + r * D, D)) }
        }
        if let columns { run(columns.rows, columns.count) } else { withUnit { run($0, count) } }
    }

    /// 1 / max(|y|, 1e-12): a zero prediction scores every word 0 instead of NaN.
    @inline(__always)
    static func inverseNorm(_ y: UnsafePointer<Float>, _ D: Int) -> Float { 1 / max(BLAS.norm(D, y), 1e-12) }
}

/// The unit table rounded to bf16 and packed for the bf16 kernels: generation's reduced-precision
/// copy (half the bytes each predicted vector streams through, twice the products per cycle).
/// Read-only once made, so one copy serves every model copy and stream of a table.
public final class PackedUnitTable: @unchecked Sendable {
    let matrix = PackedMatrix()

    public init(_ table: VectorTable) {
        table.withUnit { matrix.pack(transposed: true, k: table.dimension, n: table.count, $0, ldb: table.dimension) }
    }

    /// Base scores (see `VectorTable.baseScores`) of `rows` predicted vectors from the bf16 copy.
    func baseScores(_ y: UnsafePointer<Float>, rows: Int, cosine: Bool, into scores: UnsafeMutablePointer<Float>) {
        let D = matrix.k, V = matrix.n
        if rows == 1 {
            matrix.multiply(m: 1, y, lda: D, alpha: cosine ? VectorTable.inverseNorm(y, D) : 1, beta: 0, scores, ldc: V)
            return
        }
        matrix.multiply(m: rows, y, lda: D, beta: 0, scores, ldc: V)
        guard cosine else { return }
        for r in 0..<rows { RowSoftmax.scale(scores + r * V, count: V, by: VectorTable.inverseNorm(y + r * D, D)) }
    }
}

extension WordModel {
    /// Base scores of predicted vectors under this model's loss (see `VectorTable.baseScores`).
    /// `packed`: the table's bf16 copy (generation in bf16), else the fp32 table.
    @inline(__always)
    func baseScores(_ y: UnsafePointer<Float>, rows: Int, into scores: UnsafeMutablePointer<Float>, packed: PackedUnitTable? = nil) {
        if let packed {
            packed.baseScores(y, rows: rows, cosine: config.loss == .cosine, into: scores)
        } else {
            table.baseScores(y, rows: rows, cosine: config.loss == .cosine, into: scores)
        }
    }

    /// One row of `rule`'s logits from base scores `s` (may be the same buffer as `z`):
    /// `cosine` is kappa·s for cosine models and s itself for vMF models (their trained
    /// softmax); `prior` is a·s + λ·log p(w), and gives "</s>" no mass straight after "</s>"
    /// (`afterNewline`), as the normalised training text has no empty line.
    func ruleLogits(_ rule: Retrieval, base s: UnsafePointer<Float>, into z: UnsafeMutablePointer<Float>, afterNewline: Bool) {
        let V = table.count
        switch rule {
        case .cosine:
            if config.loss == .cosine {
                for w in 0..<V { z[w] = kappa * s[w] }
            } else if UnsafePointer(z) != s {
                z.update(from: s, count: V)
            }
        case .prior:
            let p = retrievalPrior!
            p.logPrior.withUnsafeBufferPointer { l in
                for w in 0..<V { z[w] = p.scale * s[w] + p.weight * l[w] }
            }
            if afterNewline { z[Int(table.newlineID)] = -.infinity }
        }
    }
}
