/// exp over eight Float lanes (Cephes-style: range reduction by ln 2 and a degree-6 polynomial,
/// relative error ~1e-7), for the gate nonlinearities of the recurrent layers and the softmax
/// passes over whole vocabularies (`RowSoftmax`), where scalar libm calls would dominate.
public enum FastExp {
    @inline(__always)
    public static func exp8(_ xIn: SIMD8<Float>) -> SIMD8<Float> {
        // Clamped with masks: `clamped(lowerBound:upperBound:)` compiles to non-inlined generic
        // pointwiseMin/Max calls that cost as much as the polynomial.
        let lo = SIMD8<Float>(repeating: -87.3), hi = SIMD8<Float>(repeating: 88.3)
        let x = xIn.replacing(with: lo, where: xIn .< lo).replacing(with: hi, where: xIn .> hi)
        // n = round(x / ln 2) by the 1.5 * 2^23 trick: adding it leaves n in the low mantissa bits,
        // so 2^n is built with integer lane ops (Swift's SIMD Float -> Int32 conversion is scalar).
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        let z = r * r
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * z + r + 1
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((bits &+ 127) &<< 23, to: SIMD8<Float>.self)
        return y * scale
    }

    @inline(__always)
    public static func exp1(_ x: Float) -> Float { exp8(SIMD8(repeating: x))[0] }
}
