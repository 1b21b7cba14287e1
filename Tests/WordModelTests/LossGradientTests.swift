import Foundation
import XCTest
import TestSupport
import LyricsCore
import NeuralNet
@testable import WordModel

/// Finite-difference checks of both losses' dL/dY and of the whole model's parameter gradients.
final class LossGradientTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    func lossValue(_ head: OutputHead, _ loss: WordLoss, _ y: [Float], _ targets: [Int32]) -> Double {
        y.withUnsafeBufferPointer { yp in
            targets.withUnsafeBufferPointer { tp in
                switch loss {
                case .vmf: return head.vmf(yp.baseAddress!, targets: tp.baseAddress!, rows: targets.count, gradient: nil, gradScale: 0).nats
                case .cosine: return head.cosine(yp.baseAddress!, targets: tp.baseAddress!, rows: targets.count, gradient: nil, gradScale: 0).nats
                }
            }
        }
    }

    func testHeadGradientsMatchFiniteDifferences() {
        let table = Tiny.table()
        let D = table.dimension, rows = 5
        let head = OutputHead(table: table, maxRows: rows)
        var rng = SeededRandom(seed: 11)
        var y = (0..<(rows * D)).map { _ in rng.nextGaussian() * 2 }
        let targets: [Int32] = [3, 0, -1, 7, 1]  // one padding row
        for loss in WordLoss.allCases {
            var g = [Float](repeating: 9, count: rows * D)
            y.withUnsafeBufferPointer { yp in
                targets.withUnsafeBufferPointer { tp in
                    g.withUnsafeMutableBufferPointer { gp in
                        switch loss {
                        case .vmf: head.vmf(yp.baseAddress!, targets: tp.baseAddress!, rows: rows, gradient: gp.baseAddress!, gradScale: 1)
                        case .cosine: head.cosine(yp.baseAddress!, targets: tp.baseAddress!, rows: rows, gradient: gp.baseAddress!, gradScale: 1)
                        }
                    }
                }
            }
            for i in 0..<(rows * D) {
                let keep = y[i], h: Float = 1e-2
                y[i] = keep + h; let up = lossValue(head, loss, y, targets)
                y[i] = keep - h; let down = lossValue(head, loss, y, targets)
                y[i] = keep
                let numeric = (up - down) / Double(2 * h)
                XCTAssertEqual(Double(g[i]), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), "\(loss) element \(i)")
            }
            // The padding row gets exactly zero gradient.
            XCTAssertEqual(Array(g[(2 * D)..<(3 * D)]), [Float](repeating: 0, count: D))
        }
    }

    /// The whole model (LSTMs, dense, optional fine-tuned inputs) against central differences of
    /// the summed loss, on a tiny case in Float: relative tolerance suits single precision.
    func testModelGradientsMatchFiniteDifferences() {
        let table = Tiny.table(dimension: 4)
        for loss in WordLoss.allCases {
            for fineTune in [false, true] {
                let config = WordModelConfig(loss: loss, layers: 2, hiddenSize: 5, dropout: 0, fineTuneVectors: fineTune)
                let B = 2, T = 3
                let m = WordModel(config: config, table: table, batch: B, maxSteps: T, seed: 5)
                let ids: [Int32] = [0, 4, 5, 6, 7, 2]
                let targets: [Int32] = [4, 5, 6, 7, 2, 1]
                func total() -> Double {
                    m.resetState()
                    return ids.withUnsafeBufferPointer { ip in targets.withUnsafeBufferPointer { tp in
                        m.parameters.zeroGradients()
                        return m.trainStep(inputs: ip.baseAddress!, targets: tp.baseAddress!, steps: T).nats
                    } }
                }
                _ = total()
                let grad = m.parameters.gradients.array
                let p = m.parameters.values.pointer
                var rng = SeededRandom(seed: 2)
                let n = m.parameters.count
                var checked = 0, bad = 0
                for _ in 0..<60 {
                    let i = Int(rng.next() % UInt64(n))
                    let keep = p[i], h: Float = 2e-3
                    p[i] = keep + h; let up = total()
                    p[i] = keep - h; let down = total()
                    p[i] = keep
                    // trainStep returns the summed loss; its gradient is of the mean over 6 rows.
                    let numeric = (up - down) / Double(2 * h) / Double(targets.count)
                    checked += 1
                    if abs(Double(grad[i]) - numeric) > 2e-3 + 5e-2 * abs(numeric) { bad += 1; print("off", loss, fineTune, i, grad[i], numeric) }
                }
                XCTAssertEqual(bad, 0, "\(loss) fineTune \(fineTune): \(bad) of \(checked) gradients off")
            }
        }
    }
}
