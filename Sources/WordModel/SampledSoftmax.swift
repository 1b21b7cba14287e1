import Foundation
import LyricsCore
import NeuralNet

/// The vMF head's training loss with a sampled normaliser (importance sampling: Bengio &
/// Senécal 2008; Jean et al. 2015). Scoring every predicted vector against the whole vocabulary
/// is about 70% of a word-model step at 46.5k words; here each step scores it against a shared
/// candidate set instead: every target word of the chunk, plus `negatives` draws from the
/// training unigram raised to `alpha`. For a row with target t,
///
///     loss = −s_t + log( e^{s_t} + Σ_{c ∈ C, c ≠ t} e^{s_c − log π_c} )
///
/// where s_c = y · ê_c and π_c is the chance that c is in the set (as a target of one of the
/// chunk's N tokens, or drawn): π_c = 1 − (1 − u_c)^N (1 − q_c)^S. Dividing each sampled term by
/// its inclusion probability makes the sum an unbiased estimate of the rest of the normaliser;
/// the row's own target is always in the set and enters exactly. Only training uses it:
/// validation, evaluation, comparison and generation score the whole vocabulary.
///
/// Draws come from the model's `RandomSource`, so checkpoints resume bitwise.
public final class SampledSoftmax {
    public let negatives: Int
    public let alpha: Double
    private let table: VectorTable
    /// Cumulative sampling distribution q (unigram^alpha, normalised), for draws by bisection.
    private let cumulative: [Double]
    private let q: [Double], u: [Double]
    /// stamp[w] == epoch when w is a candidate of this step, at column column[w].
    private var stamp: [Int32]
    private var column: [Int32]
    private var epoch: Int32 = 0
    private var candidates: [Int32] = []
    private let maxRows: Int
    private let units: FloatBuffer       // [maxCandidates, D] gathered unit rows
    private let correction: FloatBuffer  // [maxCandidates] log π_c
    private let scores: FloatBuffer      // [maxRows, maxCandidates]

    /// `logUnigram`: the training text's log p(w) (`WordModel.unigram`).
    public init(table: VectorTable, logUnigram: [Float], negatives: Int, alpha: Double = 0.75, maxRows: Int) {
        precondition(logUnigram.count == table.count && negatives >= 1)
        self.table = table
        self.negatives = negatives
        self.alpha = alpha
        self.maxRows = maxRows
        u = logUnigram.map { Foundation.exp(Double($0)) }
        let w = u.map { Foundation.pow($0, alpha) }
        let total = w.reduce(0, +)
        q = w.map { $0 / total }
        var c = [Double](), s = 0.0
        c.reserveCapacity(q.count)
        for x in q { s += x; c.append(s) }
        cumulative = c
        stamp = [Int32](repeating: -1, count: table.count)
        column = [Int32](repeating: 0, count: table.count)
        let maxCandidates = min(table.count, maxRows + negatives)
        units = FloatBuffer(count: maxCandidates * table.dimension)
        correction = FloatBuffer(count: maxCandidates)
        scores = FloatBuffer(count: maxRows * maxCandidates)
    }

    /// How many distinct words the last step scored against.
    public var candidateCount: Int { candidates.count }

    private func add(_ id: Int32) {
        if stamp[Int(id)] != epoch {
            stamp[Int(id)] = epoch
            column[Int(id)] = Int32(candidates.count)
            candidates.append(id)
        }
    }

    private func draw(_ rng: inout SeededRandom) -> Int32 {
        let x = rng.nextDouble() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return Int32(lo)
    }

    /// The sampled loss over `rows` rows (targets < 0 are padding: no loss, zero gradient);
    /// `gradient` receives gradScale · dL/dY.
    public func loss(_ y: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int, gradient: UnsafeMutablePointer<Float>,
                     gradScale: Float, random rng: inout SeededRandom) -> HeadStats {
        precondition(rows <= maxRows)
        let D = table.dimension
        epoch &+= 1
        candidates.removeAll(keepingCapacity: true)
        var scored = 0
        for r in 0..<rows where targets[r] >= 0 {
            add(targets[r])
            scored += 1
        }
        for _ in 0..<negatives { add(draw(&rng)) }
        let C = candidates.count
        // Gather the candidates' unit vectors and log inclusion probabilities.
        let n = Double(scored), s = Double(negatives)
        table.withUnit { unit in
            for (j, c) in candidates.enumerated() {
                let id = Int(c)
                (units.pointer + j * D).update(from: unit + id * D, count: D)
                let missed = Foundation.exp(n * Foundation.log1p(-min(u[id], 1 - 1e-12)) + s * Foundation.log1p(-min(q[id], 1 - 1e-12)))
                correction.pointer[j] = Float(Foundation.log(max(1 - missed, 1e-30)))
            }
        }
        table.baseScores(y, rows: rows, cosine: false, into: scores.pointer,
                         columns: VectorTable.ScoredRows(rows: units.pointer, count: C))
        var st = HeadStats()
        for r in 0..<rows {
            let z = scores.pointer + r * C
            let t = Int(targets[r])
            guard t >= 0 else { z.update(repeating: 0, count: C); continue }
            // Every term but the row's own target is divided by its inclusion probability.
            let jt = Int(column[t]), own = z[jt]
            for j in 0..<C { z[j] -= correction.pointer[j] }
            z[jt] = own
            let row = RowSoftmax.negativeLogLikelihood(z, count: C, target: jt)
            st.add(nats: row.nats, target: t, table: table)
            st.count += 1
            RowSoftmax.toGradient(z, count: C, sum: row.sum, target: jt, scale: gradScale)
        }
        BLAS.gemm(false, false, rows, D, C, 1, scores.pointer, C, units.pointer, D, 0, gradient, D)
        return st
    }
}
