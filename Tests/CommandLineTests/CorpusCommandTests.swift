import Foundation
import LyricsCore
import TestSupport
import XCTest

/// `lyrics corpus`: the normalised text of one part of the split, on stdout or written
/// atomically, with held-out lines dropped; one-line errors and no file on bad input.
final class CorpusCommandTests: XCTestCase {
    func testPrintsWritesAndHoldsOutParts() throws {
        let dir = try CLI.tempDir(self)
        try CLI.write(Fixture.corpusText().uppercased(), dir.appendingPathComponent("c.txt"))
        let normalized = TextNormalizer.normalize(Fixture.corpusText())
        let split = CorpusSplit(normalized: normalized)

        let test = try CLI.run(["corpus", "--corpus", "c.txt", "--part", "test"], in: dir)
        XCTAssertEqual(test.status, 0, test.err)
        XCTAssertEqual(test.out, split.test)
        XCTAssertEqual(test.out.split(separator: "\n").count, 50)

        let valid = try CLI.run(["corpus", "--corpus", "c.txt", "--part", "valid", "--output", "out/valid.txt"], in: dir)
        XCTAssertEqual(valid.status, 0, valid.err)
        XCTAssertEqual(valid.out, "")
        XCTAssertEqual(valid.err, "wrote out/valid.txt: 50 lines, \(split.valid.utf8.count) characters\n")
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("out/valid.txt"), encoding: .utf8), split.valid)

        let every = try CLI.run(["corpus", "--corpus", "c.txt", "--part", "train", "--every-block", "2"], in: dir)
        XCTAssertEqual(every.status, 0, every.err)
        XCTAssertEqual(every.out, CorpusSplit.part(.train, of: normalized, everyNthBlock: 2))

        // All of it minus every line that occurs in its own validation or test part.
        let held = try CLI.run(["corpus", "--corpus", "c.txt", "--hold-out", "c.txt"], in: dir)
        XCTAssertEqual(held.status, 0, held.err)
        let heldOut = Set(split.valid.split(separator: "\n") + split.test.split(separator: "\n"))
        let kept = held.out.split(separator: "\n")
        XCTAssertTrue(kept.allSatisfy { !heldOut.contains($0) })
        let dropped = normalized.split(separator: "\n").count - kept.count
        XCTAssertGreaterThanOrEqual(dropped, 100)
        XCTAssertEqual(held.err, "dropped \(dropped) lines that occur in the held-out parts of c.txt\n")
    }

    func testBadInputIsOneLineAndWritesNothing() throws {
        let dir = try CLI.tempDir(self)
        try CLI.write(Fixture.corpusText(lines: 120), dir.appendingPathComponent("small.txt"))
        try CLI.notUTF8.write(to: dir.appendingPathComponent("bytes.txt"))
        let cases: [([String], String)] = [
            (["--corpus", "missing.txt"], "missing.txt: no such file"),
            (["--corpus", "bytes.txt"], "bytes.txt: not valid UTF-8 text (bad byte at offset 1)"),
            (["--corpus", "small.txt", "--part", "test"], "small.txt: the test part is empty"),
            (["--corpus", "small.txt", "--hold-out", "missing.txt"], "missing.txt: no such file"),
            (["--corpus", "small.txt", "--every-block", "0"], "--every-block: must be at least 1"),
            (["--corpus", "small.txt", "--part", "bogus"], "--part: invalid value 'bogus'"),
            (["--part", "test"], "--corpus: missing (required)"),
        ]
        try CLI.assertEachFails(["corpus", "--output", "out.txt"], cases, in: dir)
        XCTAssertEqual(CLI.files(in: dir), ["small.txt", "bytes.txt"])
    }
}
