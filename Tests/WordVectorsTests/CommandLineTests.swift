import Foundation
import LyricsCore
import TestSupport
@testable import WordVectors
import XCTest

/// The `lyrics vectors` subcommands end to end: exit codes, one-line errors naming the file, no
/// partial output, JSON results. Skipped when the executable was not built next to the tests.
final class CommandLineTests: XCTestCase {
    func lyrics() throws -> URL {
        guard let exe = LyricsBinary.url(for: Self.self) else {
            throw XCTSkip("lyrics executable not found next to the test bundle; build it with swift build first")
        }
        return exe
    }

    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        try LyricsBinary.run(lyrics(), args, in: WV.root)
    }

    func testTrainQueryEvaluate() throws {
        let dir = WV.tempDir(self)
        WV.write(TrainerTests.topicCorpus(lines: 400, seed: 4), dir + "/c.txt")
        let t = try run(["vectors", "train", "--corpus", dir + "/c.txt", "--part", "all", "--out", dir + "/v",
                         "--dimensions", "12", "--epochs", "2", "--min-count", "1", "--threads", "1", "--quiet"])
        XCTAssertEqual(t.status, 0, t.err)
        XCTAssertEqual(Set(WV.files(in: dir)), ["c.txt", "v.vec", "v.bin"])
        let n = try run(["vectors", "neighbors", "--vectors", dir + "/v.bin", "sun", "--json", "-n", "3"])
        XCTAssertEqual(n.status, 0, n.err)
        let arr = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(n.out.utf8)) as? [[String: Any]])
        XCTAssertEqual((arr.first?["neighbors"] as? [Any])?.count, 3)
        let a = try run(["vectors", "analogy", "--vectors", dir + "/v.vec", "sun", "sky", "sea", "--json"])
        XCTAssertEqual(a.status, 0, a.err)
        let ev = try run(["vectors", "evaluate", "--vectors", dir + "/v.vec", "--json"])
        XCTAssertEqual(ev.status, 0, ev.err)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ev.out.utf8)) as? [String: Any])
        XCTAssertNotNil(report["analogies"])
        XCTAssertEqual((report["pairs"] as? [Any])?.count, 3)
    }

    func testBadInputExitsNonZeroWithOneLineAndNoOutput() throws {
        let dir = WV.tempDir(self)
        WV.write("", dir + "/empty.txt")
        WV.write("a b c\n", dir + "/rare.txt")
        try Data([0x61, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: dir + "/bytes.txt"))
        WV.write("2 2\na 1 2\nb 1\n", dir + "/short.vec")
        for corpus in ["missing.txt", "empty.txt", "rare.txt", "bytes.txt"] {
            let r = try run(["vectors", "train", "--corpus", dir + "/" + corpus, "--out", dir + "/out", "--quiet"])
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.err.contains(dir + "/" + corpus + ": "), r.err)
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        }
        let q = try run(["vectors", "neighbors", "--vectors", dir + "/short.vec", "a"])
        XCTAssertNotEqual(q.status, 0)
        XCTAssertTrue(q.err.contains(dir + "/short.vec: line 3: wrong row length"), q.err)
        XCTAssertFalse(WV.files(in: dir).contains { $0.hasPrefix("out") || $0.hasPrefix(".out") })
    }
}
