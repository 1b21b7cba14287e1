import Dispatch
import Foundation
import LyricsCore

/// Runs `body(firstRow, endRow)` over `rows` batch rows, optionally split into as many parts as
/// OpenBLAS has threads, in parallel, with OpenBLAS held to one thread inside. The streams of a
/// batch are independent through time, so each part could run its whole step loop with no
/// synchronisation. Measured on the 2-core benchmark machine (2 x LSTM 384, batch 32) this was
/// 2.5x SLOWER than letting OpenBLAS thread each per-step product (11.3 s vs 4.5 s for 20
/// steps), so it is off unless `LYRICS_SPLIT_STREAMS=1`; the code stays for machines with more
/// cores and larger batches. With one thread it is a plain call either way.
nonisolated(unsafe) var splitStreams = ProcessInfo.processInfo.environment["LYRICS_SPLIT_STREAMS"] == "1"

///
/// `always`: split whatever `LYRICS_SPLIT_STREAMS` says (the bf16 kernels, which do not go
/// through OpenBLAS's threads, gain from the split: docs/bench-lstm.md).
func parallelRows(_ rows: Int, always: Bool = false, _ body: (Int, Int) -> Void) {
    let configured = BLAS.threads
    let parts = min(configured, rows)
    if parts <= 1 || !(splitStreams || always) { body(0, rows); return }
    BLAS.setThreads(1)
    defer { BLAS.setThreads(configured) }
    Parallel.split(rows, parts: parts, align: 1, body)
}

/// Adds the column sums of `rows x cols` matrix `a` into `out` (bias gradients), the columns
/// split over the threads for large matrices (each column still summed in row order).
func addColumnSums(_ a: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
    Parallel.split(cols, parts: rows * cols >= 1 << 16 ? BLAS.threads : 1, align: 16) { c0, c1 in
        for r in 0..<rows {
            let row = a + r * cols
            for j in c0..<c1 { out[j] += row[j] }
        }
    }
}

/// Fills each of `rows` rows of width `cols` with `bias`.
@inline(__always)
func broadcastRows(_ bias: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
    for r in 0..<rows { (out + r * cols).update(from: bias, count: cols) }
}

/// Vectorised activations over `FastExp` (Cephes `expf`: range reduction by ln 2 in two parts and a
/// degree-6 polynomial, relative error ~1e-7), eight lanes at a time, so gate nonlinearities do
/// not dominate the per-step cost the way scalar libm calls would.
enum Activation {
    /// In-place logistic sigmoid over `count` contiguous floats.
    @inline(__always)
    static func sigmoid(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        let raw = UnsafeMutableRawPointer(p)
        while i + 8 <= count {
            let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let y = 1 / (1 + FastExp.exp8(-x))
            raw.storeBytes(of: y, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { p[i] = 1 / (1 + FastExp.exp1(-p[i])); i += 1 }
    }

    /// In-place tanh over `count` contiguous floats, as 2 sigmoid(2x) - 1 (absolute error ~1e-7).
    @inline(__always)
    static func tanh(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        let raw = UnsafeMutableRawPointer(p)
        while i + 8 <= count {
            let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let y = 2 / (1 + FastExp.exp8(-2 * x)) - 1
            raw.storeBytes(of: y, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { p[i] = 2 / (1 + FastExp.exp1(-2 * p[i])) - 1; i += 1 }
    }

    /// `out[i] = tanh(x[i])`.
    @inline(__always)
    static func tanh(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, _ count: Int) {
        out.update(from: x, count: count)
        tanh(out, count)
    }
}

/// Weight initialisers (Keras defaults, so the Keras benchmark and our model start alike).
public enum Initializer {
    /// Glorot/Xavier uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)).
    public static func glorotUniform(_ p: UnsafeMutablePointer<Float>, fanIn: Int, fanOut: Int, count: Int, rng: inout SeededRandom) {
        let limit = (6 / Float(fanIn + fanOut)).squareRoot()
        for i in 0..<count { p[i] = (rng.nextFloat() * 2 - 1) * limit }
    }

    public static func uniform(_ p: UnsafeMutablePointer<Float>, limit: Float, count: Int, rng: inout SeededRandom) {
        for i in 0..<count { p[i] = (rng.nextFloat() * 2 - 1) * limit }
    }

    /// Writes a random `n x n` orthogonal matrix into columns `[col, col + n)` of a row-major
    /// matrix with row stride `ld`: QR of a Gaussian matrix (LAPACKE sgeqrf + sorgqr), with Q's
    /// columns sign-corrected by diag(R) so the distribution is uniform (Haar).
    public static func orthogonal(_ p: UnsafeMutablePointer<Float>, n: Int, ld: Int, col: Int, rng: inout SeededRandom) {
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<(n * n) { a[i] = rng.nextGaussian() }
        guard let signs = LAPACK.orthonormalQ(n: n, &a) else { preconditionFailure("LAPACK QR failed") }
        for i in 0..<n {
            for j in 0..<n { p[i * ld + col + j] = a[i * n + j] * signs[j] }
        }
    }
}
