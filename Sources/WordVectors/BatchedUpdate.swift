import Foundation
import CBLAS
import LyricsCore

/// The matrix-form skip-gram negative-sampling step of Ji et al. 2016 ("Parallelizing Word2Vec in
/// Shared and Distributed Memory"). word2vec.c and gensim update one (context, target) pair at a
/// time with vector-vector ops. Here the context words of one or more center words are stacked
/// as rows of `In` (gathered from `syn0`) and the center words plus K negatives, shared by the
/// whole batch, as rows of `Out` (gathered from `syn1neg`):
///
///     S  = In · Outᵀ                          (sgemm)
///     G  = α · (label − σ(S))   masked entries 0
///     ΔOut = Gᵀ · In,  ΔIn = G · Out          (two sgemm)
///
/// and the deltas are added back row by row (saxpy; rows may repeat and other threads write the
/// same rows, so they are added, never copied). All gradients use the parameters from before the
/// step, whereas per-pair SGD sees each pair's update immediately; the difference is second order
/// in α. Labels: row b is positive for its own center column `owner[b]`, negative for every
/// negative-sample column, and masked (no gradient) for other centers' columns and for negatives
/// that happen to equal its own center (word2vec.c skips those too).
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

    /// One step. `inputs[b]` are context word ids (rows of `syn0`), `owner[b]` the index in
    /// `outputs` of the center word row b predicts; `outputs[0..<centers]` are center word ids and
    /// `outputs[centers...]` negative samples (rows of `syn1`). Returns the batch's loss
    /// −Σ log σ(±s) over unmasked entries only when `computeLoss` (tests, diagnostics).
    @discardableResult
    public func apply(syn0: UnsafeMutablePointer<Float>, syn1: UnsafeMutablePointer<Float>,
                      inputs: UnsafePointer<Int32>, owner: UnsafePointer<Int32>, inputCount nIn: Int,
                      outputs: UnsafePointer<Int32>, centers: Int, outputCount nOut: Int,
                      alpha: Float, sigmoid: SigmoidTable, computeLoss: Bool = false) -> Double {
        precondition(nIn <= maxInputs && nOut <= maxOutputs && centers <= nOut)
        guard nIn > 0 else { return 0 }
        let d = dim, di = Int32(dim)
        for b in 0..<nIn { (inRows + b * d).update(from: syn0 + Int(inputs[b]) * d, count: d) }
        for k in 0..<nOut { (outRows + k * d).update(from: syn1 + Int(outputs[k]) * d, count: d) }
        let ni = Int32(nIn), no = Int32(nOut)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ni, no, di,
                    1, inRows, di, outRows, di, 0, scores, no)
        var loss = 0.0
        for b in 0..<nIn {
            let own = Int(owner[b])
            let ownWord = outputs[own]
            let row = scores + b * nOut
            for k in 0..<nOut {
                let s = row[k]
                let label: Float
                if k == own {
                    label = 1
                } else if k < centers || outputs[k] == ownWord {
                    row[k] = 0
                    continue
                } else {
                    label = 0
                }
                if computeLoss {
                    let z = Double(label == 1 ? s : -s)
                    loss += z > 0 ? log1p(exp(-z)) : -z + log1p(exp(z))
                }
                row[k] = (label - sigmoid(s)) * alpha
            }
        }
        // ΔOut = Gᵀ · In and ΔIn = G · Out, both from the parameters before this step.
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, no, di, ni,
                    1, scores, no, inRows, di, 0, deltaOut, di)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, di, no,
                    1, scores, no, outRows, di, 0, deltaIn, di)
        for k in 0..<nOut { cblas_saxpy(di, 1, deltaOut + k * d, 1, syn1 + Int(outputs[k]) * d, 1) }
        for b in 0..<nIn { cblas_saxpy(di, 1, deltaIn + b * d, 1, syn0 + Int(inputs[b]) * d, 1) }
        return loss
    }
}
