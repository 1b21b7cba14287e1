import Foundation
import TestSupport
import XCTest

/// `lyrics blend`: two char models in turns (authors shown), two word models mixed, the seed
/// repeats the song; one-line errors for bad values and mismatched models.
final class BlendCommandTests: XCTestCase {
    func testAlternatesAndMixesRepeatably() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        let args = ["blend", "--model-a", fixture.char, "--model-b", fixture.charTuned, "--lines", "4", "--seed", "3", "--show-authors"]
        let a = try CLI.run(args, in: dir)
        XCTAssertEqual(a.status, 0, a.err)
        XCTAssertEqual(a.err, "seed 3 (repeat with --seed 3)\n")
        let lines = a.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.map { String($0.prefix(4)) }, ["A | ", "B | ", "A | ", "B | "], a.out)
        XCTAssertEqual(try CLI.run(args, in: dir).out, a.out)
        // Turns by stanza: the authors switch, and a blank line parts the stanzas.
        let s = try CLI.run(args + ["--unit", "stanza", "--stanza-lines", "2"], in: dir)
        XCTAssertEqual(s.status, 0, s.err)
        XCTAssertEqual(s.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { String($0.prefix(4)) },
                       ["A | ", "A | ", "", "B | ", "B | "], s.out)

        let m = try CLI.run(["blend", "--model-a", fixture.word, "--model-b", fixture.wordTuned, "--mode", "mix", "--weight", "0.3",
                             "--lines", "2", "--prompt", "the night", "--seed", "5"], in: dir)
        XCTAssertEqual(m.status, 0, m.err)
        XCTAssertTrue(m.out.hasPrefix("the night"), m.out)
        XCTAssertEqual(m.out.filter { $0 == "\n" }.count, 2, m.out)
    }

    func testBadInputIsOneLine() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        let pair = ["--model-a", fixture.char, "--model-b", fixture.charTuned]
        let cases: [([String], String, String)] = [
            (["--model-a", fixture.word, "--model-b", fixture.char], fixture.char + ": ", "blend two models of one kind"),
            (["--model-a", "missing.safetensors", "--model-b", fixture.char], "missing.safetensors: no such file", ""),
            (["--model-a", fixture.char, "--model-b", fixture.corpus], fixture.corpus + ": ", ""),
            (pair + ["--weight", "2"], "--weight: must be in [0, 1]", ""),
            (pair + ["--weight", "-1"], "--weight: must be in [0, 1]", ""),
            (pair + ["--temperature", "-1"], "--temperature: must be 0 or positive", ""),
            (pair + ["--lines", "0"], "--lines: must be at least 1", ""),
            (pair + ["--mode", "duet"], "--mode: invalid value 'duet'", ""),
            (["--model-a", fixture.char], "--model-b: missing (required)", ""),
        ]
        try CLI.assertEachFails(["blend", "--seed", "1"], cases, in: dir)
    }
}
