import Foundation
import LyricsCore

/// Scalar softmax in Double for the sampler (a few candidates, or a whole vocabulary for a
/// blend's distribution); log-sum-exp over a whole vocabulary (the line sampler's
/// log-probabilities) is `RowSoftmax`'s vectorised pass, the one training and scoring use.
public enum Softmax {
    /// p_i ∝ exp((x_i − max x) · scale) over `count` values read through `value`, normalised
    /// into `p` (cleared first); −infinity gets 0.
    @inline(__always)
    public static func probabilities(count n: Int, scale: Double = 1, into p: inout [Double], _ value: (Int) -> Float) {
        p.removeAll(keepingCapacity: true)
        guard n > 0 else { return }
        var m = value(0)
        for i in 1..<n where value(i) > m { m = value(i) }
        var sum = 0.0
        for i in 0..<n {
            let x = value(i)
            let e = x == -.infinity ? 0 : Foundation.exp((Double(x) - Double(m)) * scale)
            p.append(e)
            sum += e
        }
        for i in p.indices { p[i] /= sum }
    }

    /// log Σ exp(x_i), skipping −infinity; 0 when every entry is −infinity (nothing to weigh).
    public static func logSumExp(_ x: UnsafeBufferPointer<Float>) -> Double {
        guard let base = x.baseAddress else { return 0 }
        return RowSoftmax.logSumExp(base, count: x.count)
    }
}
