import Foundation
import XCTest
import TestSupport
import LyricsCore
import NeuralNet
@testable import WordModel

/// The sampled normaliser of the vMF training loss: its gradient against finite differences of
/// its own value (same draws), the exact loss recovered when every word is certainly drawn, and
/// a training run that uses it (deterministic, learning).
final class SampledSoftmaxTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    private func uniformLog(_ n: Int) -> [Float] { [Float](repeating: Float(-Foundation.log(Double(n))), count: n) }

    private func sampledLoss(_ s: SampledSoftmax, _ y: [Float], _ targets: [Int32], seed: UInt64, gradient g: inout [Float]) -> Double {
        var rng = SeededRandom(seed: seed)
        return y.withUnsafeBufferPointer { yp in targets.withUnsafeBufferPointer { tp in g.withUnsafeMutableBufferPointer { gp in
            s.loss(yp.baseAddress!, targets: tp.baseAddress!, rows: targets.count, gradient: gp.baseAddress!, gradScale: 1, random: &rng).nats
        } } }
    }

    func testGradientMatchesFiniteDifferencesOfTheSameDraws() {
        let table = Tiny.table()
        let D = table.dimension, rows = 5
        let s = SampledSoftmax(table: table, logUnigram: uniformLog(table.count), negatives: 6, maxRows: rows)
        var rng = SeededRandom(seed: 4)
        var y = (0..<(rows * D)).map { _ in rng.nextGaussian() * 2 }
        let targets: [Int32] = [3, 0, -1, 7, 3]
        var g = [Float](repeating: 9, count: rows * D), scratch = g
        _ = sampledLoss(s, y, targets, seed: 1, gradient: &g)
        XCTAssertLessThan(s.candidateCount, table.count, "the set should be a sample, not the vocabulary")
        for i in 0..<(rows * D) {
            let keep = y[i], h: Float = 1e-2
            y[i] = keep + h; let up = sampledLoss(s, y, targets, seed: 1, gradient: &scratch)
            y[i] = keep - h; let down = sampledLoss(s, y, targets, seed: 1, gradient: &scratch)
            y[i] = keep
            let numeric = (up - down) / Double(2 * h)
            XCTAssertEqual(Double(g[i]), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), "element \(i)")
        }
        XCTAssertEqual(Array(g[(2 * D)..<(3 * D)]), [Float](repeating: 0, count: D), "padding row")
    }

    /// With so many draws that every word is in the set with probability 1 - 1e-100, each
    /// correction log π is 0 in Float and the sampled loss is the exact one.
    func testCertainDrawsGiveTheExactLoss() {
        let table = Tiny.table()
        let D = table.dimension, rows = 4
        let s = SampledSoftmax(table: table, logUnigram: uniformLog(table.count), negatives: 20_000, maxRows: rows)
        let head = OutputHead(table: table, maxRows: rows)
        var rng = SeededRandom(seed: 8)
        let y = (0..<(rows * D)).map { _ in rng.nextGaussian() }
        let targets: [Int32] = [1, 5, 2, 9]
        var g = [Float](repeating: 0, count: rows * D), gExact = g
        let sampled = sampledLoss(s, y, targets, seed: 2, gradient: &g)
        XCTAssertEqual(s.candidateCount, table.count)
        let exact = y.withUnsafeBufferPointer { yp in targets.withUnsafeBufferPointer { tp in gExact.withUnsafeMutableBufferPointer { gp in
            head.vmf(yp.baseAddress!, targets: tp.baseAddress!, rows: rows, gradient: gp.baseAddress!, gradScale: 1).nats
        } } }
        XCTAssertEqual(sampled, exact, accuracy: 1e-4 * exact)
        for i in g.indices { XCTAssertEqual(g[i], gExact[i], accuracy: 1e-5) }
    }

    /// A vocabulary over four times the draws gets the sampled loss; the run is repeatable and
    /// lowers its (exact) validation score.
    func testTrainingWithNegativesIsDeterministicAndLearns() throws {
        let table = Tiny.table()
        var o = Tiny.trainingOptions()
        o.negatives = table.count / 5
        let ids = table.encode(Tiny.text)
        let valid = HeldOutText(normalized: Tiny.text, table: table, spelling: SpellingModel(trainingText: Tiny.text))
        func run() throws -> WordTrainer {
            let t = try WordTrainer(config: WordModelConfig(loss: .vmf, layers: 1, hiddenSize: 12, dropout: 0), table: table,
                                    options: o, train: ids, valid: valid)
            XCTAssertNotNil(t.model.sampledSoftmax)
            try t.run()
            return t
        }
        let a = try run(), b = try run()
        XCTAssertTrue(a.model.parameters.values.array == b.model.parameters.values.array)
        let history = a.state.history
        XCTAssertLessThan(history.last!.validBitsPerCharacter, history.first!.validBitsPerCharacter)
    }
}
