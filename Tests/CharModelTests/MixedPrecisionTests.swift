import Foundation
import XCTest
import LyricsCore
@testable import CharModel
@testable import NeuralNet

/// Training in bf16 follows the fp32 loss curve: the same model, text and seed trained 300 steps
/// both ways. Stated tolerance: every 50-step mean of the training loss and the final
/// validation within 2% of fp32 (bf16 keeps 8 mantissa bits in the products only; sums,
/// weights and Adam stay fp32). Also bitwise repeatable.
final class MixedPrecisionTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(Precision.bf16Available, "this CPU has no AVX512-BF16")
    }
    override func tearDown() { BLAS.setThreads(1) }

    /// The first 100k characters of verse-2m, normalised: 300 steps of 8 x 32 see them under
    /// once, so the curve measures learning, not memorising a few lines.
    static let verse: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try! TextNormalizer.normalizedFile(root.appendingPathComponent("corpora/verse-2m.txt").path)
        return String(text.utf8.prefix(100_000))!
    }()

    private func train(_ precision: Precision, steps: Int, threads: Int = 1) throws -> (curve: [Double], valid: Double, weights: [Float]) {
        BLAS.setThreads(threads)
        let config = CharModelConfig(cell: .lstm, layers: 2, hiddenSize: 48, embeddingSize: 8)
        var o = CharTrainingOptions()
        o.batch = 8
        o.sequenceLength = 32
        o.learningRate = 1e-2
        o.epochs = 100
        o.evalEvery = 100_000
        o.patience = 0
        o.evalBatch = 4
        o.seed = 7
        o.precision = precision
        let text = Self.verse
        let vocab = CharVocabulary(text: text)
        let ids = vocab.encode(text).ids
        let cut = ids.count * 9 / 10
        let t = try CharTrainer(config: config, vocabulary: vocab, options: o, train: Array(ids[..<cut]), valid: Array(ids[cut...]))
        XCTAssertEqual(t.model.stack.precision, precision)
        var curve = [Double](), sum = 0.0
        let every = min(50, steps)
        for i in 1...steps {
            sum += t.trainStep()
            if i % every == 0 { curve.append(sum / Double(every)); sum = 0 }
        }
        return (curve, t.validate(), t.model.parameters.values.array)
    }

    func testLossCurveStaysWithinTwoPercentOfFP32() throws {
        let f = try train(.fp32, steps: 300), h = try train(.bf16, steps: 300)
        XCTAssertLessThan(f.curve.last!, f.curve.first! - 1, "the run should learn")
        for (a, b) in zip(h.curve, f.curve) {
            XCTAssertEqual(a, b, accuracy: 0.02 * b, "bf16 \(h.curve) vs fp32 \(f.curve)")
        }
        XCTAssertEqual(h.valid, f.valid, accuracy: 0.02 * f.valid)
        XCTAssertNotEqual(h.weights, f.weights, "bf16 should not be fp32 under another name")
    }

    /// One thread: bitwise repeatable. Two threads: the streams split between them and the
    /// products split by rows, so each sum keeps its order: bitwise repeatable too. (Two
    /// threads do not equal one bitwise: the fp32 output layer goes through OpenBLAS's threads.)
    func testBF16TrainingIsBitwiseRepeatable() throws {
        let a = try train(.bf16, steps: 20), b = try train(.bf16, steps: 20)
        XCTAssertTrue(a.weights == b.weights, "one thread")
        let c = try train(.bf16, steps: 20, threads: 2), d = try train(.bf16, steps: 20, threads: 2)
        XCTAssertTrue(c.weights == d.weights, "two threads")
        XCTAssertEqual(c.curve[0], a.curve[0], accuracy: 0.01 * a.curve[0])
    }
}
