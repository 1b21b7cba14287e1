import Foundation
import Generation
import XCTest
import TestSupport
import LyricsCore
import NeuralNet
@testable import WordModel

/// Candidate streams stepped as one batch are the one-stream model, stream by stream: the same
/// logits after the same tokens (fp32: up to the rounding of sgemm against sgemv; bf16: the
/// stated tolerance of its products), and a stream's state put back into the one-stream model
/// goes on exactly as the stream would.
final class TokenStreamsTests: XCTestCase {
    func testWordStreamsMatchTheOneStreamModel() throws {
        for precision in Precision.bf16Available ? [Precision.fp32, .bf16] : [.fp32] {
            let m = try GenerationTests.tokenModel(.vmf, retrieval: .cosine, precision: precision)
            let V = m.tokens.count
            m.reset()
            m.observe(m.table.id("shall"))
            let start = m.saveState()
            let streams = m.makeStreams(3)
            streams.start(from: start)
            let paths: [[Int32]] = [[m.table.id("the"), m.table.id("night")], [m.newlineToken, m.table.id("shall")],
                                    [m.table.id("night"), m.table.id("the")]]
            for t in 0..<2 { streams.observe(paths.map { $0[t] }) }
            var all = [Float](repeating: 0, count: 3 * V)
            all.withUnsafeMutableBufferPointer { streams.logits(into: $0) }
            var one = [Float](repeating: 0, count: V)
            let tolerance: Float = precision == .bf16 ? 2e-2 : 1e-4
            for s in 0..<3 {
                m.restoreState(start)
                for t in paths[s] { m.observe(t) }
                one.withUnsafeMutableBufferPointer { m.logits(into: $0) }
                for w in 0..<V { XCTAssertEqual(all[s * V + w], one[w], accuracy: tolerance, "\(precision) stream \(s) word \(w)") }
                // The stream's state in the one-stream model gives the stream's own logits.
                m.restoreState(streams.state(of: s))
                one.withUnsafeMutableBufferPointer { m.logits(into: $0) }
                for w in 0..<V { XCTAssertEqual(all[s * V + w], one[w], accuracy: tolerance) }
            }
        }
    }

    /// A copy (what the server's pool holds, many per model) reads the original's weight buffer
    /// and gives its logits, with its own state: stepping one leaves the other as it was.
    func testCopiesShareWeightsAndKeepTheirOwnState() throws {
        let m = try GenerationTests.tokenModel(.vmf, retrieval: .cosine, precision: .fp32)
        let copy = try m.copy()
        XCTAssertTrue(copy.model.parameters.values === m.model.parameters.values)
        XCTAssertEqual(copy.model.kappa, m.model.kappa)
        let V = m.tokens.count
        var a = [Float](repeating: 0, count: V), b = a
        m.reset()
        copy.reset()
        m.observe(m.table.id("shall"))
        copy.observe(m.table.id("shall"))
        a.withUnsafeMutableBufferPointer { m.logits(into: $0) }
        b.withUnsafeMutableBufferPointer { copy.logits(into: $0) }
        XCTAssertEqual(a, b)
        copy.observe(m.table.id("night"))
        b.withUnsafeMutableBufferPointer { m.logits(into: $0) }
        XCTAssertEqual(a, b)
    }

    func testThemeNeighbourhoodHoldsTheThemeAndItsNearestWords() throws {
        let t = Tiny.table()
        let word = t.words.first { $0 != "<unk>" && $0 != "</s>" }!
        let near = try t.neighbourhood(of: [word, "notaword"], count: 3)
        XCTAssertEqual(near[word], 0.8)
        XCTAssertLessThanOrEqual(near.count, 4)
        XCTAssertNil(near["<unk>"])
        XCTAssertNil(near["</s>"])
        XCTAssertTrue(near.values.allSatisfy { $0 > 0 && $0 <= 1 })
        XCTAssertThrowsError(try t.neighbourhood(of: ["notaword"])) { e in XCTAssertTrue("\(e)".hasPrefix("theme: none of 'notaword'"), "\(e)") }
    }
}
