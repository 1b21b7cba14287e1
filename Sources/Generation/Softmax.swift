import Foundation

/// Scalar softmax and log-sum-exp in Double, written once for the sampler (a few candidates, or
/// a whole vocabulary for a blend's distribution) and the line sampler's log-probabilities. The
/// vectorised Float passes over a whole row for training and scoring are `RowSoftmax`
/// (NeuralNet), which this module does not see.
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
        let m = Double(x.max() ?? 0)
        guard m > -.infinity else { return 0 }
        var s = 0.0
        for v in x where v > -.infinity { s += Foundation.exp(Double(v) - m) }
        return m + Foundation.log(s)
    }
}
