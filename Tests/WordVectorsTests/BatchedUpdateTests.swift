import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// The matrix-form update against a per-pair float64 reference (numpy golden from
/// scripts/fixtures/w2v_golden.py) and against finite differences of the negative-sampling loss.
final class BatchedUpdateTests: XCTestCase {
    struct Golden: Decodable {
        var dim: Int
        var syn0: [Float], syn1: [Float]
        var inputs: [Int32], owner: [Int32], outputs: [Int32]
        var centers: Int
        var alpha: Float
        var expected_syn0: [Double], expected_syn1: [Double]
        var loss: Double
    }

    func loadGolden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: URL(fileURLWithPath: WV.fixture("batched_update_golden.json"))))
    }

    /// Runs one step on copies of the matrices.
    func step(_ g: Golden, syn0: [Float], syn1: [Float], alpha: Float, table: SigmoidTable) -> ([Float], [Float], Double) {
        var s0 = syn0, s1 = syn1
        let u = BatchedUpdate(dim: g.dim, maxInputs: g.inputs.count, maxOutputs: g.outputs.count)
        let w = BatchedUpdate.ownerWeights(owner: g.owner, outputs: g.outputs, centers: g.centers)
        let loss = u.apply(syn0: &s0, syn1: &s1, inputs: g.inputs, inputCount: g.inputs.count,
                           outputs: g.outputs, outputCount: g.outputs.count, weights: w,
                           alpha: alpha, sigmoid: table, computeLoss: true)
        return (s0, s1, loss)
    }

    func testMatchesPerPairNumpyReference() throws {
        let g = try loadGolden()
        // A fine sigmoid table isolates the algebra from word2vec.c's 1000-bucket quantisation.
        let (s0, s1, loss) = step(g, syn0: g.syn0, syn1: g.syn1, alpha: g.alpha, table: SigmoidTable(size: 2_000_000))
        for (a, b) in zip(s0, g.expected_syn0) { XCTAssertEqual(Double(a), b, accuracy: 2e-5) }
        for (a, b) in zip(s1, g.expected_syn1) { XCTAssertEqual(Double(a), b, accuracy: 2e-5) }
        XCTAssertEqual(loss, g.loss, accuracy: 1e-4)
        // With word2vec.c's table the step differs by at most the table's resolution.
        let (c0, _, _) = step(g, syn0: g.syn0, syn1: g.syn1, alpha: g.alpha, table: SigmoidTable())
        for (a, b) in zip(c0, g.expected_syn0) { XCTAssertEqual(Double(a), b, accuracy: 0.02) }
    }

    /// The update must equal −α ∂L/∂θ; central differences of L on every parameter the batch touches.
    func testUpdateIsMinusAlphaTimesLossGradient() throws {
        let g = try loadGolden()
        let table = SigmoidTable(size: 2_000_000)
        let checked = checkStepIsMinusAlphaTimesGradient(syn0: g.syn0, syn1: g.syn1) { a, b, alpha in
            step(g, syn0: a, syn1: b, alpha: alpha, table: table)
        }
        XCTAssertGreaterThan(checked, 40)
    }

    func testSigmoidTableAndSamplers() {
        let t = SigmoidTable()
        for x in stride(from: Float(-5.9), through: 5.9, by: 0.37) {
            XCTAssertEqual(t(x), 1 / (1 + exp(-x)), accuracy: 0.011)
        }
        XCTAssertEqual(t(7), 1)
        XCTAssertEqual(t(-7), 0)
        let counts = [1000, 100, 10, 1, 0]
        let table = UnigramTable(counts: counts)
        let z = counts.map { pow(Double($0), 0.75) }.reduce(0, +)
        for (p, c) in zip(table.probabilities(), counts) { XCTAssertEqual(p, pow(Double(c), 0.75) / z, accuracy: 1e-6) }
        var rng = SeededRandom(seed: 1)
        var hist = [Int](repeating: 0, count: counts.count)
        for _ in 0..<200_000 { hist[Int(table.sample(&rng))] += 1 }
        XCTAssertEqual(hist[4], 0)
        XCTAssertEqual(Double(hist[0]) / 200_000, pow(1000, 0.75) / z, accuracy: 0.01)
        // gensim: keep = (sqrt(c / t) + 1) * t / c with t = sample * total, capped at 1.
        let sub = Subsampler(counts: [900_000, 90_000, 10_000], sample: 1e-3)
        let tt = 1e-3 * 1_000_000.0
        XCTAssertEqual(sub.keepProbability(0), ((900_000 / tt).squareRoot() + 1) * tt / 900_000, accuracy: 1e-9)
        XCTAssertEqual(sub.keepProbability(2), ((10_000 / tt).squareRoot() + 1) * tt / 10_000, accuracy: 1e-9)
        XCTAssertEqual(Subsampler(counts: [5], sample: 0).keepProbability(0), 1)
    }
}

/// Several centers in one batch must produce exactly the pairs of their separate windows.
final class BatchRowsTests: XCTestCase {
    func testStackedWindowsEqualTheSumOfSingleWindows() {
        var rng = SeededRandom(seed: 11)
        for trial in 0..<200 {
            let len = 3 + Int(rng.next() % 20)
            let chunk = (0..<len).map { _ in Int32(rng.next() % 6) } // small vocabulary: repeats and clashes
            let window = 1 + Int(rng.next() % 5)
            let first = Int(rng.next() % UInt64(len))
            let centers = min(1 + Int(rng.next() % 8), len - first)
            let negK = 1 + Int(rng.next() % 5)
            let radius = (0..<centers).map { _ in window - Int(rng.next() % UInt64(window)) }
            var outputs = (0..<centers).map { chunk[first + $0] }
            outputs += (0..<negK).map { _ in Int32(rng.next() % 6) }
            let lo = max(0, (0..<centers).map { first + $0 - radius[$0] }.min()!)
            let hi = min(len - 1, (0..<centers).map { first + $0 + radius[$0] }.max()!)
            let nOut = centers + negK
            var inputs = [Int32](repeating: -1, count: centers + 2 * window)
            var weights = [Float](repeating: 0, count: inputs.count * nOut)
            let nIn = Worker.batchRows(chunk: chunk, first: first, centers: centers, radius: radius, lo: lo, hi: hi,
                                       outputs: outputs, negatives: negK, inputs: &inputs, weights: &weights)
            var batched = [String: Float](), single = [String: Float]()
            for b in 0..<nIn {
                for k in 0..<nOut where weights[b * nOut + k] != 0 { batched["\(inputs[b])>\(k)", default: 0] += weights[b * nOut + k] }
            }
            for c in 0..<centers {
                let pos = first + c
                for p in max(0, pos - radius[c])...min(len - 1, pos + radius[c]) where p != pos {
                    single["\(chunk[p])>\(c)", default: 0] += 1
                    for k in centers..<nOut where outputs[k] != outputs[c] { single["\(chunk[p])>\(k)", default: 0] -= 1 }
                }
            }
            XCTAssertEqual(batched.filter { $0.value != 0 }, single.filter { $0.value != 0 }, "trial \(trial)")
        }
    }
}
