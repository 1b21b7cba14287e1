import Foundation
import TestSupport
import XCTest

/// `lyrics check` and `lyrics rhyme` end to end on tiny inputs: results, JSON, the cache, and
/// one-line errors with a non-zero exit. Skipped when the executable was not built next to the tests.
final class CheckCommandTests: XCTestCase {
    func run(_ args: [String], in dir: String, stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let exe = try LyricsExecutable.orSkip(for: Self.self)
        return try LyricsExecutable.run(exe, args, in: URL(fileURLWithPath: dir), stdin: stdin)
    }

    func tempDir() throws -> String {
        try temporaryFolder("sw-cli").path
    }

    func testCheckFlagsCopiesWithSources() throws {
        let dir = try tempDir()
        try Data(SampleVerse.copyCheck.utf8).write(to: URL(fileURLWithPath: dir + "/corpus.txt"))
        try Data("My love is like a red, red rose\nand then the quick brown fox jumps over everything\nsomething new\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/song.txt"))
        let r = try run(["check", "--corpus", "corpus.txt", "--cache", "cache", "song.txt"], in: dir)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("built and cached"), r.err)
        XCTAssertTrue(r.out.contains("line 1: my love is like a red red rose\n  exact copy of training line 2\n"), r.out)
        XCTAssertTrue(r.out.contains("line 2: and then the quick brown fox jumps over everything\n  6 words \"the quick brown fox jumps over\" from training line 1: the quick brown fox jumps over the lazy dog\n"), r.out)
        XCTAssertFalse(r.out.contains("something new"))
        XCTAssertTrue(r.out.hasSuffix("3 lines: 1 exact training lines (33.3%), 2 with runs of 6+ words, longest shared run 8 words\n"), r.out)
        // Second run: from the cache; standard input; JSON.
        let j = try run(["check", "--corpus", "corpus.txt", "--cache", "cache", "--json", "--min-run", "5", "-"], in: dir,
                        stdin: "a quick brown fox jumps over nothing\n")
        XCTAssertEqual(j.status, 0, j.err)
        XCTAssertTrue(j.err.contains("loaded"), j.err)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any])
        let lines = try XCTUnwrap(doc["lines"] as? [[String: Any]])
        let runs = try XCTUnwrap(lines.first?["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.first?["words"] as? String, "quick brown fox jumps over")
        XCTAssertEqual((runs.first?["source"] as? [String: Any])?["line"] as? Int, 1)
        XCTAssertEqual((doc["summary"] as? [String: Any])?["longestRun"] as? Int, 5)
    }

    func testCheckBadInput() throws {
        let dir = try tempDir()
        try Data(SampleVerse.copyCheck.utf8).write(to: URL(fileURLWithPath: dir + "/corpus.txt"))
        try Data("some words\n".utf8).write(to: URL(fileURLWithPath: dir + "/song.txt"))
        try Data("!!!\n".utf8).write(to: URL(fileURLWithPath: dir + "/empty.txt"))
        try Data([0x61, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: dir + "/bytes.txt"))
        let cases: [([String], String)] = [
            (["check", "--corpus", "corpus.txt", "--cache", "cache", "missing.txt"], "error: missing.txt: no such file"),
            (["check", "--corpus", "nothere.txt", "--cache", "cache", "song.txt"], "error: nothere.txt: no such file"),
            (["check", "--corpus", "corpus.txt", "--cache", "cache", "empty.txt"], "error: empty.txt: no words to check"),
            (["check", "--corpus", "corpus.txt", "--cache", "cache", "bytes.txt"], "error: bytes.txt: not valid UTF-8 text (bad byte at offset 1)"),
            (["check", "--corpus", "empty.txt", "--cache", "cache", "song.txt"], "error: empty.txt: corpus is empty (no letters after normalisation)"),
        ]
        for (args, expected) in cases {
            let r = try run(args, in: dir)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertEqual(r.err.split(separator: "\n").last.map(String.init), expected, r.err)
        }
        let v = try run(["check", "--corpus", "corpus.txt", "--min-run", "2", "song.txt"], in: dir)
        XCTAssertNotEqual(v.status, 0)
        XCTAssertTrue(v.err.contains("--min-run: must be at least 3"), v.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/cache"), "nothing written on bad input")
    }

    func testRhymeCommand() throws {
        let dir = try tempDir()
        let r = try run(["rhyme", "night", "light", "love", "move", "zight"], in: dir)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("night: N AY1 T (dictionary); rhyme AY T; 1 syllables\n"), r.out)
        XCTAssertTrue(r.out.contains("night / light: rhyme\n"), r.out)
        XCTAssertTrue(r.out.contains("love / move: no rhyme\n"), r.out)
        XCTAssertTrue(r.out.contains("zight: ") && r.out.contains("(spelling guess); rhyme AY T"), r.out)
        try Data("i see the light\nyou see the night\n".utf8).write(to: URL(fileURLWithPath: dir + "/song.txt"))
        let d = try run(["rhyme", "--density", "song.txt"], in: dir)
        XCTAssertEqual(d.status, 0, d.err)
        XCTAssertEqual(d.out, "rhyme density: 0.429\n")
        let bad = try run(["rhyme", "--density", "missing.txt"], in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertEqual(bad.err.split(separator: "\n").last.map(String.init), "error: missing.txt: no such file")
    }
}
