import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// Threads as ranks (`ThreadRanks`): the collectives' results, and `--parallel ranks` training,
/// which is bitwise reproducible at any thread count (each rank one thread, sums in rank order).
final class ThreadRanksTests: XCTestCase {
    func testCollectivesGiveEveryRankTheSameAnswer() {
        let size = 3
        let results = ThreadRanks.run(size: size) { world -> ([Float], [Double], [UInt8], [UInt8]) in
            var f = (0..<7).map { Float($0 + 10 * world.rank) }
            f.withUnsafeMutableBufferPointer { world.allreduceSum($0.baseAddress!, count: 7) }
            var d = [Double(world.rank), -Double(world.rank)]
            d.withUnsafeMutableBufferPointer { world.allreduceMax($0.baseAddress!, count: 2) }
            var b = [UInt8](repeating: UInt8(world.rank), count: 2)
            b.withUnsafeMutableBytes { world.broadcast($0.baseAddress!, count: 2, root: 1) }
            let mine = [UInt8(world.rank), UInt8(world.rank + 100)]
            var all = [UInt8](repeating: 0, count: 2 * size)
            mine.withUnsafeBytes { m in all.withUnsafeMutableBytes { world.allgather(m.baseAddress!, count: 2, into: $0.baseAddress!) } }
            return (f, d, b, all)
        }
        for (rank, r) in results.enumerated() {
            XCTAssertEqual(r.0, (0..<7).map { Float(3 * $0 + 30) }, "rank \(rank): sum over ranks 0, 1, 2")
            XCTAssertEqual(r.1, [2, 0], "rank \(rank): maximum")
            XCTAssertEqual(r.2, [1, 1], "rank \(rank): rank 1's bytes")
            XCTAssertEqual(r.3, [0, 100, 1, 101, 2, 102], "rank \(rank): everyone's, in rank order")
        }
    }

    func testRanksTrainingIsReproducibleAndLearns() throws {
        let text = TrainerTests.topicCorpus(lines: 1500, seed: 2)
        let vocab = try Vocabulary.build(from: text, minCount: 1)
        func run(_ threads: Int) throws -> SkipGramTrainer {
            var c = SkipGramConfig()
            c.dimensions = 16; c.window = 3; c.negative = 4; c.epochs = 5; c.minCount = 1; c.sample = 1e-2
            c.threads = threads; c.seed = 7; c.syncWords = 2_000
            let t = try SkipGramTrainer(config: c, vocabulary: vocab)
            let stats = try t.train(tokens: TokenIDs(vocab.encode(text)), threads: .ranks)
            XCTAssertEqual(stats.ranks, threads)
            if threads > 1 { XCTAssertGreaterThan(stats.hotAverages, 0) }
            return t
        }
        let a = try run(2), b = try run(2)
        XCTAssertEqual(a.syn0.map(\.bitPattern), b.syn0.map(\.bitPattern), "two threads as ranks: the same bits")
        let one = try run(1)
        XCTAssertNotEqual(one.syn0, a.syn0)
        let e = a.embedding
        func cos(_ x: String, _ y: String) -> Float { zip(e.unitVector(x)!, e.unitVector(y)!).reduce(0) { $0 + $1.0 * $1.1 } }
        let within = (cos("sun", "sky") + cos("sea", "wave") + cos("gold", "light") + cos("ship", "tide")) / 4
        let across = (cos("sun", "sea") + cos("sky", "wave") + cos("gold", "tide") + cos("light", "salt")) / 4
        XCTAssertGreaterThan(within, across + 0.3, "within \(within) across \(across)")
    }
}
