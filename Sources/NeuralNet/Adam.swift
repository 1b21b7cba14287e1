import Foundation
import LyricsCore

/// Adam (Kingma & Ba) over a whole `ParameterSet`, with bias correction:
/// `m = b1 m + (1-b1) g`, `v = b2 v + (1-b2) g^2`, `p -= lr * m̂ / (sqrt(v̂) + eps)`.
/// The moments are flat buffers parallel to the parameters, so checkpoints save them as tensors.
public final class Adam {
    public let parameters: ParameterSet
    public let m: FloatBuffer
    public let v: FloatBuffer
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Number of updates taken (the bias-correction exponent).
    public var t: Int = 0

    public init(parameters: ParameterSet) {
        self.parameters = parameters
        m = FloatBuffer(count: parameters.count)
        v = FloatBuffer(count: parameters.count)
    }

    public func step(learningRate lr: Float) {
        t += 1
        let c1 = 1 - Foundation.pow(Double(beta1), Double(t))
        let c2 = 1 - Foundation.pow(Double(beta2), Double(t))
        let stepSize = Float(Double(lr) / c1)
        let invC2 = Float(1 / c2)
        let b1 = beta1, b2 = beta2, eps = epsilon
        let p = parameters.values.pointer, g = parameters.gradients.pointer, mp = m.pointer, vp = v.pointer
        // Sixteen lanes at a time (the same operations in the same order as the scalar tail, so
        // the result is bitwise the same), the parameters split over the threads: a word model's
        // fine-tuned input table alone is 4.6M parameters, and a scalar loop over it was a tenth
        // of a training step.
        let n = parameters.count
        Parallel.split(n, parts: n >= 1 << 18 ? BLAS.threads : 1, align: 16) { lo, hi in
            var i = lo
            let rp = UnsafeMutableRawPointer(p), rg = UnsafeRawPointer(g), rm = UnsafeMutableRawPointer(mp), rv = UnsafeMutableRawPointer(vp)
            let b1v = SIMD16<Float>(repeating: b1), b2v = SIMD16<Float>(repeating: b2)
            let c1v = SIMD16<Float>(repeating: 1 - b1), c2v = SIMD16<Float>(repeating: 1 - b2)
            let sv = SIMD16<Float>(repeating: stepSize), iv = SIMD16<Float>(repeating: invC2), ev = SIMD16<Float>(repeating: eps)
            while i + 16 <= hi {
                let o = i * 4
                let gi = rg.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                let mi = b1v * rm.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self) + c1v * gi
                let vi = b2v * rv.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self) + c2v * gi * gi
                rm.storeBytes(of: mi, toByteOffset: o, as: SIMD16<Float>.self)
                rv.storeBytes(of: vi, toByteOffset: o, as: SIMD16<Float>.self)
                let pi = rp.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self) - sv * mi / ((vi * iv).squareRoot() + ev)
                rp.storeBytes(of: pi, toByteOffset: o, as: SIMD16<Float>.self)
                i += 16
            }
            while i < hi {
                let gi = g[i]
                let mi = b1 * mp[i] + (1 - b1) * gi
                let vi = b2 * vp[i] + (1 - b2) * gi * gi
                mp[i] = mi
                vp[i] = vi
                p[i] -= stepSize * mi / ((vi * invC2).squareRoot() + eps)
                i += 1
            }
        }
    }
}

/// Learning rate over training progress in [0, 1]: linear warmup over the first `warmup`
/// fraction, then cosine decay from `peak` to `peak * finalFraction`. Progress is steps done /
/// planned steps, or the elapsed fraction of a time budget.
public struct LearningRateSchedule: Sendable, Codable, Equatable {
    public var peak: Float
    public var warmup: Double
    public var finalFraction: Float

    public init(peak: Float, warmup: Double = 0.02, finalFraction: Float = 0.1) {
        self.peak = peak
        self.warmup = warmup
        self.finalFraction = finalFraction
    }

    public func rate(progress: Double) -> Float {
        let p = min(max(progress, 0), 1)
        if warmup > 0, p < warmup { return peak * Float(max(p / warmup, 0.01)) }
        let q = warmup < 1 ? (p - warmup) / (1 - warmup) : 1
        let cosine = Float(0.5 * (1 + Foundation.cos(Double.pi * q)))
        return peak * (finalFraction + (1 - finalFraction) * cosine)
    }
}
