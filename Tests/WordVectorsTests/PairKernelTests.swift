import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// The SIMD per-pair kernel against a plain float64 transcription of gensim's loop, and its
/// step against finite differences of the pair's negative-sampling loss.
final class PairKernelTests: XCTestCase {
    /// gensim's skip-gram negative-sampling inner loop (word2vec.c's but for saturated pairs),
    /// scalar and in Double, with the exact logistic: the reference the kernel must match.
    static func reference(syn0: inout [Double], syn1: inout [Double], dim d: Int, context: Int, center: Int,
                          negatives: [Int], alpha: Double) {
        var e = [Double](repeating: 0, count: d)
        for (k, word) in ([center] + negatives).enumerated() {
            if k > 0 && word == center { continue }
            var f = 0.0
            for i in 0..<d { f += syn0[context * d + i] * syn1[word * d + i] }
            if abs(f) >= 6 { continue } // saturated: gensim skips the pair
            let g = ((k == 0 ? 1 : 0) - 1 / (1 + exp(-f))) * alpha
            for i in 0..<d { e[i] += g * syn1[word * d + i] }
            for i in 0..<d { syn1[word * d + i] += g * syn0[context * d + i] }
        }
        for i in 0..<d { syn0[context * d + i] += e[i] }
    }

    struct Case {
        var dim: Int, vocab: Int
        var syn0: [Float], syn1: [Float]
        var context: Int32, center: Int32, negatives: [Int32]
    }

    /// Random parameters of the size word vectors reach in training (|f| mostly below 6).
    static func randomCase(_ rng: inout SeededRandom, dim: Int, vocab: Int, negatives: Int, distinct: Bool) -> Case {
        let scale = 2 / Float(dim).squareRoot()
        let syn0 = (0..<(vocab * dim)).map { _ in (rng.nextFloat() - 0.5) * scale }
        let syn1 = (0..<(vocab * dim)).map { _ in (rng.nextFloat() - 0.5) * scale }
        let ids = (0..<Int32(vocab)).shuffled(using: &rng)
        let context = ids[0], center = ids[1]
        let negs = distinct ? Array(ids[2..<(2 + negatives)]) : (0..<negatives).map { _ in Int32(rng.next() % UInt64(vocab)) }
        return Case(dim: dim, vocab: vocab, syn0: syn0, syn1: syn1, context: context, center: center, negatives: negs)
    }

    func step(_ c: Case, syn0: [Float], syn1: [Float], alpha: Float, table: SigmoidTable,
              fused: Bool = true) -> ([Float], [Float], Double) {
        var s0 = syn0, s1 = syn1
        let kernel = PairKernel(dim: c.dim, maxNegatives: c.negatives.count, sigmoid: table)
        defer { kernel.deallocate() }
        let loss = s0.withUnsafeMutableBufferPointer { p0 in
            s1.withUnsafeMutableBufferPointer { p1 in
                kernel.train(context: c.context, center: c.center, negatives: c.negatives, negativeCount: c.negatives.count,
                             syn0: p0.baseAddress!, syn1: p1.baseAddress!, alpha: alpha, computeLoss: true, fused: fused)
            }
        }
        return (s0, s1, loss)
    }

    /// Dimensions 100 (the default) and 19 (the SIMD loops' scalar tails); distinct outputs (the
    /// one-pass update), repeated negatives (the sequential loop) and negatives equal to the
    /// center (skipped).
    func testMatchesGensimReference() {
        var rng = SeededRandom(seed: 5)
        let fine = SigmoidTable(size: 2_000_000)
        for trial in 0..<40 {
            let dim = trial % 2 == 0 ? 100 : 19
            var c = Self.randomCase(&rng, dim: dim, vocab: 8, negatives: 6, distinct: trial % 4 < 2)
            if trial % 5 == 0 { c.negatives[2] = c.center }
            let (s0, s1, _) = step(c, syn0: c.syn0, syn1: c.syn1, alpha: 0.3, table: fine)
            var r0 = c.syn0.map(Double.init), r1 = c.syn1.map(Double.init)
            Self.reference(syn0: &r0, syn1: &r1, dim: dim, context: Int(c.context), center: Int(c.center),
                           negatives: c.negatives.map(Int.init), alpha: 0.3)
            for (a, b) in zip(s0, r0) { XCTAssertEqual(Double(a), b, accuracy: 2e-6, "trial \(trial)") }
            for (a, b) in zip(s1, r1) { XCTAssertEqual(Double(a), b, accuracy: 2e-6, "trial \(trial)") }
        }
    }

    /// With distinct outputs no output row is read after it was written, so the pair's step is
    /// exactly −α times the gradient of its loss; central differences on every parameter.
    func testStepIsMinusAlphaTimesLossGradient() {
        var rng = SeededRandom(seed: 9)
        let table = SigmoidTable(size: 2_000_000)
        let c = Self.randomCase(&rng, dim: 19, vocab: 9, negatives: 5, distinct: true)
        let checked = checkStepIsMinusAlphaTimesGradient(syn0: c.syn0, syn1: c.syn1) { a, b, alpha in
            step(c, syn0: a, syn1: b, alpha: alpha, table: table)
        }
        // The context row and the six output rows: 7 × 19 parameters with a gradient.
        XCTAssertEqual(checked, 7 * 19)
    }

    /// The one-pass update of distinct outputs is the sequential loop's arithmetic in its order.
    func testFusedPassEqualsSequentialLoopBitwise() {
        var rng = SeededRandom(seed: 13)
        for trial in 0..<20 {
            let c = Self.randomCase(&rng, dim: trial % 2 == 0 ? 100 : 21, vocab: 10, negatives: 5, distinct: true)
            let a = step(c, syn0: c.syn0, syn1: c.syn1, alpha: 0.05, table: SigmoidTable())
            let b = step(c, syn0: c.syn0, syn1: c.syn1, alpha: 0.05, table: SigmoidTable(), fused: false)
            XCTAssertEqual(a.0.map(\.bitPattern), b.0.map(\.bitPattern), "trial \(trial)")
            XCTAssertEqual(a.1.map(\.bitPattern), b.1.map(\.bitPattern), "trial \(trial)")
            XCTAssertEqual(a.2, b.2, accuracy: 1e-12)
        }
    }

    /// The kernel's table lookup is `SigmoidTable`'s, bucket for bucket, saturation included.
    func testSigmoidMatchesTheTable() {
        let table = SigmoidTable()
        let kernel = PairKernel(dim: 4, maxNegatives: 1, sigmoid: table)
        defer { kernel.deallocate() }
        for x in stride(from: Float(-7), through: 7, by: 0.0137) { XCTAssertEqual(kernel.sigmoid(x), table(x)) }
    }
}
