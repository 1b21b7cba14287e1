import Foundation

/// Vectorised passes over one row of scores, shared by the char model's softmax and the word
/// model's vMF head, which scores a whole vocabulary (~14k words) per predicted vector: scalar
/// loops and libm `expf` there took 28% of a word-model training step; eight lanes at a time
/// with the Cephes-style `FastExp.exp8` (relative error ~1e-7) take a fraction of that.
public enum RowSoftmax {
    /// The row's maximum and how many entries are strictly greater than `threshold`
    /// (the rank of a target's score, for top-k hit counting).
    @inline(__always)
    public static func maxAndCountAbove(_ z: UnsafePointer<Float>, count n: Int, threshold: Float) -> (max: Float, above: Int) {
        precondition(n >= 1)
        let raw = UnsafeRawPointer(z)
        var m8 = SIMD8<Float>(repeating: z[0])
        var above8 = SIMD8<Int32>(repeating: 0)
        let t8 = SIMD8<Float>(repeating: threshold)
        var i = 0
        while i + 8 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            m8.replace(with: x, where: x .> m8)
            above8 &-= unsafeBitCast(x .> t8, to: SIMD8<Int32>.self)   // true lanes are -1
            i += 8
        }
        var m = m8.max()
        var above = Int(above8.wrappedSum())
        while i < n {
            if z[i] > m { m = z[i] }
            if z[i] > threshold { above += 1 }
            i += 1
        }
        return (m, above)
    }

    /// Replaces each entry by `exp(z - shift)` and returns their sum. Partial sums are kept in
    /// eight Float lanes for 64 entries at a time, then added in Double, so the rounding of the
    /// total does not grow with the row's width.
    @inline(__always)
    public static func expShifted(_ z: UnsafeMutablePointer<Float>, count n: Int, shift: Float) -> Double {
        sumExp(UnsafePointer(z), count: n, shift: shift, storingInto: z)
    }

    /// Σ exp(z_i − shift), each exponential also written to `out` when given (the one blocked
    /// pass behind `expShifted` and `logSumExp`).
    @inline(__always)
    static func sumExp(_ z: UnsafePointer<Float>, count n: Int, shift: Float, storingInto out: UnsafeMutablePointer<Float>?) -> Double {
        let raw = UnsafeRawPointer(z)
        let s8 = SIMD8<Float>(repeating: shift)
        var total = 0.0
        var i = 0
        while i + 8 <= n {
            var block = SIMD8<Float>(repeating: 0)
            let end = min(n - n % 8, i + 64)
            while i < end {
                let e = FastExp.exp8(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - s8)
                if let out { UnsafeMutableRawPointer(out).storeBytes(of: e, toByteOffset: i * 4, as: SIMD8<Float>.self) }
                block += e
                i += 8
            }
            total += Double(block.sum())
        }
        while i < n {
            let e = FastExp.exp1(z[i] - shift)
            out?[i] = e
            total += Double(e)
            i += 1
        }
        return total
    }

    /// −log softmax(z)[target] of one row: the one negative log-likelihood of the char model's
    /// loss, the word model's vMF head and the retrieval rules. Replaces the row by
    /// exp(z − max), which `toGradient` turns into the gradient, and returns the nats, the
    /// target's rank (entries strictly above it, for top-k hits) and the sum of exponentials.
    @inline(__always)
    public static func negativeLogLikelihood(_ z: UnsafeMutablePointer<Float>, count n: Int, target t: Int)
        -> (nats: Double, above: Int, sum: Double) {
        let zt = z[t]
        let (m, above) = maxAndCountAbove(z, count: n, threshold: zt)
        let sum = expShifted(z, count: n, shift: m)
        return (Foundation.log(sum) - Double(zt - m), above, sum)
    }

    /// Turns the exponentials `negativeLogLikelihood` left (summing to `sum`) into
    /// `scale · (softmax − onehot(target))`.
    @inline(__always)
    public static func toGradient(_ e: UnsafeMutablePointer<Float>, count n: Int, sum: Double, target t: Int, scale: Float) {
        Self.scale(e, count: n, by: Float(Double(scale) / sum))
        e[t] -= scale
    }

    /// Multiplies the row by `factor` in place.
    @inline(__always)
    public static func scale(_ z: UnsafeMutablePointer<Float>, count n: Int, by factor: Float) {
        let raw = UnsafeMutableRawPointer(z)
        let f8 = SIMD8<Float>(repeating: factor)
        var i = 0
        while i + 8 <= n {
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * f8,
                           toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n { z[i] *= factor; i += 1 }
    }

    /// log Σ exp(z_i) over the row, read-only; −infinity entries add nothing (exp8 clamps them to
    /// about 1e-38), and a row of −infinity only gives 0 (nothing to weigh).
    @inline(__always)
    public static func logSumExp(_ z: UnsafePointer<Float>, count n: Int) -> Double {
        guard n > 0 else { return 0 }
        let m = maxAndCountAbove(z, count: n, threshold: .infinity).max
        guard m > -.infinity else { return 0 }
        return Double(m) + Foundation.log(sumExp(z, count: n, shift: m, storingInto: nil))
    }
}
