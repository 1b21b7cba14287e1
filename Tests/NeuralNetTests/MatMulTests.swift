import CKernels
import XCTest
import LyricsCore
@testable import NeuralNet

/// The bf16 kernels against a Double reference over the same bf16-rounded inputs (so the only
/// difference left is fp32 summation order), the row split against one thread, and an LSTM's
/// bf16 forward/backward against its fp32 self. Skipped on CPUs without AVX512-BF16.
final class MatMulTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(Precision.bf16Available, "this CPU has no AVX512-BF16")
    }
    override func tearDown() { BLAS.setThreads(1) }

    private func random(_ n: Int, _ rng: inout SeededRandom) -> [Float] { (0..<n).map { _ in rng.nextFloat() * 2 - 1 } }

    /// Every transpose combination, shapes off every block edge (odd depth, partial 8-row and
    /// 48-column panels, one row (its own kernel, depth in two sets of sums), a depth above the
    /// packing block), beta 0 and not, strided rows.
    func testProductsMatchReferenceOnRoundedInputs() {
        var rng = SeededRandom(seed: 3)
        let shapes = [(1, 1, 1), (1, 97, 101), (1, 48, 100), (5, 60, 64), (7, 5, 3), (8, 48, 2), (9, 49, 33), (16, 100, 384), (33, 97, 517), (3, 2, 1200)]
        for (m, n, k) in shapes {
            for transA in [false, true] {
                for transB in [false, true] {
                    let lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 1
                    let a = random((transA ? k : m) * lda, &rng), b = random((transB ? n : k) * ldb, &rng)
                    let c0 = random(m * ldc, &rng)
                    let beta: Float = k % 2 == 0 ? 0 : 0.5
                    var c = c0
                    let packed = PackedMatrix()
                    a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                        packed.pack(transposed: transB, k: k, n: n, bp.baseAddress!, ldb: ldb)
                        packed.multiply(transA: transA, m: m, ap.baseAddress!, lda: lda, alpha: 1.5, beta: beta, cp.baseAddress!, ldc: ldc)
                    } } }
                    var worst = 0.0
                    for i in 0..<m {
                        for j in 0..<n {
                            var s = 0.0
                            for q in 0..<k {
                                let av = transA ? a[q * lda + i] : a[i * lda + q], bv = transB ? b[j * ldb + q] : b[q * ldb + j]
                                s += Double(lk_bf16_round(av)) * Double(lk_bf16_round(bv))
                            }
                            let want = 1.5 * s + (beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j]))
                            worst = max(worst, abs(want - Double(c[i * ldc + j])))
                        }
                        // Columns past n (the row padding) are never written.
                        XCTAssertEqual(c[i * ldc + n], c0[i * ldc + n])
                    }
                    // fp32 sums of k products of magnitude <= 1: error ~ k * 2^-24 * sqrt(k).
                    XCTAssertLessThan(worst, 1e-6 * Double(k), "m \(m) n \(n) k \(k) transA \(transA) transB \(transB)")
                }
            }
        }
    }

    func testRoundingIsNearestEven() {
        XCTAssertEqual(lk_bf16_round(1.0), 1.0)
        XCTAssertEqual(lk_bf16_round(1 + 1.0 / 256), 1.0)          // halfway: to even (mantissa 0)
        XCTAssertEqual(lk_bf16_round(1 + 3.0 / 256), 1 + 4.0 / 256)  // halfway: to even (up)
        XCTAssertEqual(lk_bf16_round(1 + 1.0 / 128), 1 + 1.0 / 128)  // representable
        XCTAssertTrue(lk_bf16_round(.nan).isNaN)
        XCTAssertEqual(lk_bf16_round(.infinity), .infinity)
    }

    /// Splitting rows over threads leaves every sum as it was: bitwise the same product.
    func testThreadsGiveBitwiseTheSameProduct() {
        var rng = SeededRandom(seed: 5)
        let m = 77, n = 150, k = 90
        let a = random(m * k, &rng), b = random(k * n, &rng)
        func product(parts: Int) -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            let packed = PackedMatrix()
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                packed.pack(transposed: false, k: k, n: n, bp.baseAddress!, ldb: n, parts: parts)
                packed.multiply(m: m, ap.baseAddress!, lda: k, beta: 0, cp.baseAddress!, ldc: n, parts: parts)
            } } }
            return c
        }
        XCTAssertEqual(product(parts: 1), product(parts: 2))
        XCTAssertEqual(product(parts: 1), product(parts: 3))
    }

    /// An LSTM's outputs, input gradients and weight gradients in bf16 stay within bf16's
    /// precision of fp32 (relative error of a few 2^-8), and 2 threads match 1 bitwise.
    func testLSTMInBF16TracksFP32() {
        let I = 20, H = 56, B = 6, T = 9
        var rng = SeededRandom(seed: 9)
        let x = random(T * B * I, &rng), dy = random(T * B * H, &rng)
        func run(_ precision: Precision, threads: Int) -> (y: [Float], dx: [Float], g: [Float]) {
            BLAS.setThreads(threads)
            let lstm = LSTM(inputSize: I, hiddenSize: H, batch: B, maxSteps: T)
            let params = ParameterSet([("l", lstm)])
            var r = SeededRandom(seed: 1)
            params.initialize(&r)
            lstm.precision = precision
            return x.withUnsafeBufferPointer { xp in
                let y = Array(UnsafeBufferPointer(start: lstm.forward(xp.baseAddress!, steps: T, training: true), count: T * B * H))
                let dx = dy.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: lstm.backward($0.baseAddress!, steps: T), count: T * B * I)) }
                return (y, dx, params.gradients.array)
            }
        }
        let f = run(.fp32, threads: 1), h = run(.bf16, threads: 1), h2 = run(.bf16, threads: 2)
        func relative(_ a: [Float], _ b: [Float]) -> Double {
            var num = 0.0, den = 0.0
            for i in a.indices { num += Double(a[i] - b[i]) * Double(a[i] - b[i]); den += Double(b[i]) * Double(b[i]) }
            return (num / den).squareRoot()
        }
        XCTAssertLessThan(relative(h.y, f.y), 0.02)
        XCTAssertLessThan(relative(h.dx, f.dx), 0.02)
        XCTAssertLessThan(relative(h.g, f.g), 0.02)
        XCTAssertGreaterThan(relative(h.y, f.y), 0, "bf16 should differ from fp32 at all")
        XCTAssertEqual(h.y, h2.y)
        XCTAssertEqual(h.dx, h2.dx)
        XCTAssertEqual(h.g, h2.g)
    }
}
