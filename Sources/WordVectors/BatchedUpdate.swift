import Foundation
import LyricsCore

/// The matrix-form skip-gram negative-sampling step of Ji et al. 2016 ("Parallelizing Word2Vec in
/// Shared and Distributed Memory"). word2vec.c and gensim update one (context, target) pair at a
/// time with vector-vector ops. Here context words are stacked as rows of `In` (gathered from
/// `syn0`) and center words plus K negatives, shared by the whole batch, as rows of `Out`
/// (gathered from `syn1neg`):
///
///     S  = In · Outᵀ                                  (sgemm)
///     G  = α · w · (label − σ(S))   per entry, w = 0 masks it
///     ΔOut = Gᵀ · In,  ΔIn = G · Out                  (two sgemm)
///
/// and the deltas are added back row by row (saxpy; rows may repeat and other threads write the
/// same rows, so they are added, never copied). `weights[b][k]` encodes the label and multiplicity
/// of each entry: w > 0 is a positive pair counted w times, w < 0 a negative pair counted −w times
/// (a context row shared by several centers of the batch meets each shared negative once per
/// center), 0 no pair. All gradients use the parameters from before the step, whereas per-pair SGD
/// sees each pair's update immediately; the difference is second order in α. The result is
/// exactly −α times the gradient of the batch's negative-sampling loss (see BatchedUpdateTests).
public final class BatchedUpdate {
    public let dim: Int
    public let maxInputs: Int
    public let maxOutputs: Int
    // Scratch, allocated once per worker.
    let inRows: UnsafeMutablePointer<Float>
    let outRows: UnsafeMutablePointer<Float>
    let scores: UnsafeMutablePointer<Float>
    let deltaIn: UnsafeMutablePointer<Float>
    let deltaOut: UnsafeMutablePointer<Float>

    public init(dim: Int, maxInputs: Int, maxOutputs: Int) {
        self.dim = dim
        self.maxInputs = maxInputs
        self.maxOutputs = maxOutputs
        inRows = .allocate(capacity: maxInputs * dim)
        outRows = .allocate(capacity: maxOutputs * dim)
        scores = .allocate(capacity: maxInputs * maxOutputs)
        deltaIn = .allocate(capacity: maxInputs * dim)
        deltaOut = .allocate(capacity: maxOutputs * dim)
    }

    deinit {
        inRows.deallocate(); outRows.deallocate(); scores.deallocate()
        deltaIn.deallocate(); deltaOut.deallocate()
    }

    /// One step. `inputs[b]` are rows of `syn0`, `outputs[k]` rows of `syn1`, `weights` is
    /// nIn × nOut row-major (see the type's doc). Returns the batch loss Σ |w| · −log σ(±s) when
    /// `computeLoss` (tests, diagnostics), else 0.
    @discardableResult
    public func apply(syn0: UnsafeMutablePointer<Float>, syn1: UnsafeMutablePointer<Float>,
                      inputs: UnsafePointer<Int32>, inputCount nIn: Int,
                      outputs: UnsafePointer<Int32>, outputCount nOut: Int,
                      weights: UnsafePointer<Float>,
                      alpha: Float, sigmoid: SigmoidTable, computeLoss: Bool = false) -> Double {
        precondition(nIn <= maxInputs && nOut <= maxOutputs)
        guard nIn > 0, nOut > 0 else { return 0 }
        let d = dim
        for b in 0..<nIn { (inRows + b * d).update(from: syn0 + Int(inputs[b]) * d, count: d) }
        for k in 0..<nOut { (outRows + k * d).update(from: syn1 + Int(outputs[k]) * d, count: d) }
        BLAS.gemm(false, true, nIn, nOut, d, 1, inRows, d, outRows, d, 0, scores, nOut)
        var loss = 0.0
        for e in 0..<(nIn * nOut) {
            let w = weights[e], s = scores[e]
            if w > 0 {
                scores[e] = alpha * w * (1 - sigmoid(s))
            } else if w < 0 {
                scores[e] = alpha * w * sigmoid(s)
            } else {
                scores[e] = 0
                continue
            }
            if computeLoss { loss += Double(abs(w)) * PairKernel.logLoss(w > 0 ? s : -s) }
        }
        // ΔOut = Gᵀ · In and ΔIn = G · Out, both from the parameters before this step.
        BLAS.gemm(true, false, nOut, d, nIn, 1, scores, nOut, inRows, d, 0, deltaOut, d)
        BLAS.gemm(false, false, nIn, d, nOut, 1, scores, nOut, outRows, d, 0, deltaIn, d)
        for k in 0..<nOut { BLAS.axpy(d, 1, deltaOut + k * d, syn1 + Int(outputs[k]) * d) }
        for b in 0..<nIn { BLAS.axpy(d, 1, deltaIn + b * d, syn0 + Int(inputs[b]) * d) }
        return loss
    }

    /// Weights for stacked windows: row b is a context of center column `owner[b]` (positive),
    /// meets every negative column once (negative) unless that negative is its own center's word
    /// (word2vec.c skips those), and has no pair with other centers' columns.
    public static func ownerWeights(owner: [Int32], outputs: [Int32], centers: Int) -> [Float] {
        var w = [Float](repeating: 0, count: owner.count * outputs.count)
        for (b, own) in owner.enumerated() {
            for k in outputs.indices {
                if k == Int(own) { w[b * outputs.count + k] = 1 }
                else if k >= centers && outputs[k] != outputs[Int(own)] { w[b * outputs.count + k] = -1 }
            }
        }
        return w
    }
}
