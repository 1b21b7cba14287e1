import Foundation
import TestSupport
import XCTest

/// `lyrics char generate`, `evaluate` and `fine-tune` on the shared tiny model (`char train` is
/// run by the fixture and covered in CharModelTests and WordVectorsTests/BringYourOwnTests).
final class CharCommandTests: XCTestCase {
    var fixture: Fixture!
    var dir: URL!

    override func setUpWithError() throws {
        fixture = try Fixture.shared()
        dir = try CLI.tempDir(self)
    }

    func run(_ args: [String]) throws -> CLI.Result { try CLI.run(args, in: dir) }

    func testGenerateRepeatsWithItsSeedAndContinuesAPromptFile() throws {
        let a = try run(["char", "generate", "--model", fixture.char, "--lines", "3", "--seed", "5"])
        XCTAssertEqual(a.status, 0, a.err)
        XCTAssertEqual(a.err, "")
        XCTAssertEqual(a.out.split(separator: "\n", omittingEmptySubsequences: false).count, 4, a.out)
        XCTAssertEqual(try run(["char", "generate", "--model", fixture.char, "--lines", "3", "--seed", "5"]).out, a.out)

        // Without --seed the seed is printed, and repeats the text.
        let fresh = try run(["char", "generate", "--model", fixture.char, "--characters", "30"])
        XCTAssertEqual(fresh.status, 0, fresh.err)
        let seed = try XCTUnwrap(fresh.err.split(separator: " ").dropFirst().first.map(String.init), fresh.err)
        XCTAssertEqual(fresh.err, "seed \(seed) (repeat with --seed \(seed))\n")
        XCTAssertEqual(try run(["char", "generate", "--model", fixture.char, "--characters", "30", "--seed", seed]).out, fresh.out)
        XCTAssertTrue((30...31).contains(fresh.out.count), "30 characters and a newline: \(fresh.out.debugDescription)")

        try CLI.write("The NIGHT\n", dir.appendingPathComponent("prompt.txt"))
        let p = try run(["char", "generate", "--model", fixture.char, "--prompt-file", "prompt.txt", "--characters", "10",
                         "--seed", "1", "--top-k", "3", "--top-p", "0.9", "--repetition-penalty", "1.3", "--temperature", "0"])
        XCTAssertEqual(p.status, 0, p.err)
        XCTAssertTrue(p.out.hasPrefix("the night"), p.out)
    }

    func testGenerateRefusesBadValuesWithOneLine() throws {
        try CLI.write("the night\n", dir.appendingPathComponent("prompt.txt"))
        try CLI.notUTF8.write(to: dir.appendingPathComponent("bytes.txt"))
        try assertGenerateRefusesBadValues(command: "char", model: fixture.char, otherKind: fixture.word, in: dir)
        XCTAssertEqual(CLI.files(in: dir), ["prompt.txt", "bytes.txt"])
    }

    func testEvaluateScoresTheTestPart() throws {
        let score = try CLI.assertEvaluatesTestPart("char", model: fixture.char, fixture, in: dir)
        let bpc = try XCTUnwrap(score["bitsPerCharacter"] as? Double)
        XCTAssertTrue(bpc > 1 && bpc < 6, "\(bpc)")  // 20 symbols: at most a little over log2(20) = 4.3 for a barely trained model
        XCTAssertEqual(score["kind"] as? String, "char")
        // The same accounting as `lyrics compare`.
        let c = try run(["compare", "--char", fixture.char, "--corpus", fixture.corpus, "--json", "--no-report", "--threads", "1"])
        let compared = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(c.out.utf8)) as? [[String: Any]], c.err)
        XCTAssertEqual(compared.first?["bitsPerCharacter"] as? Double, bpc)

        let t = try run(["char", "evaluate", "--model", fixture.char, "--corpus", fixture.corpus, "--part", "valid", "--threads", "1"])
        XCTAssertEqual(t.status, 0, t.err)
        XCTAssertTrue(t.out.hasPrefix("\(fixture.corpus) (valid, "), t.out)
        XCTAssertTrue(t.out.contains(" bits per character, perplexity "), t.out)

        try CLI.assertEachFails(["char", "evaluate"], [
            (["--model", fixture.word, "--corpus", fixture.corpus], fixture.word + ": ", "not a lyrics char model checkpoint"),
            (["--model", fixture.char, "--corpus", "missing.txt"], "missing.txt: no such file", ""),
            (["--model", fixture.char, "--corpus", fixture.corpus, "--batch", "0"], "--batch: must be at least 1", ""),
        ], in: dir)
    }

    func testFineTuneWritesACheckpointThatGenerates() throws {
        let r = try CLI.assertFineTunesTwoSteps("char", base: fixture.char, corpus: fixture.corpus, seqLength: 8, in: dir)
        XCTAssertTrue(r.err.contains("fine-tuning \(fixture.char): lstm 1x8"), r.err)
        let g = try run(["char", "generate", "--model", "tuned.safetensors", "--lines", "1", "--seed", "2"])
        XCTAssertEqual(g.status, 0, g.err)
        XCTAssertFalse(g.out.isEmpty)
    }

    func testFineTuneBadInputWritesNoCheckpoint() throws {
        try CLI.notUTF8.write(to: dir.appendingPathComponent("bytes.txt"))
        let cases: [([String], String, String)] = [
            (["--base", fixture.word, "--corpus", fixture.corpus], fixture.word + ": ", "not a lyrics char model checkpoint"),
            (["--base", "missing.safetensors", "--corpus", fixture.corpus], "missing.safetensors: no such file", ""),
            (["--base", fixture.corpus, "--corpus", fixture.corpus], fixture.corpus + ": ", ""),
            (["--base", fixture.char, "--corpus", "missing.txt"], "missing.txt: no such file", ""),
            (["--base", fixture.char, "--corpus", "bytes.txt"], "bytes.txt: not valid UTF-8 text", ""),
            (["--base", fixture.char, "--corpus", fixture.corpus, "--steps", "0"], "--steps: must be at least 1", ""),
            (["--base", fixture.char, "--corpus", fixture.corpus, "--lr", "-1"], "--lr: must be positive", ""),
        ]
        try CLI.assertEachFails(["char", "fine-tune", "--output", "out.safetensors", "--steps", "1", "--threads", "1"], cases, in: dir)
        XCTAssertEqual(CLI.files(in: dir), ["bytes.txt"])
    }
}

/// The generation flags every `generate` shares, refused with one line naming the flag or file;
/// `otherKind` is a checkpoint of the other model kind.
func assertGenerateRefusesBadValues(command: String, model: String, otherKind: String, in dir: URL,
                                    file: StaticString = #filePath, line: UInt = #line) throws {
    // No case gives --seed, so a fresh seed's note printed before the error would be a second line.
    let cases: [([String], String)] = [
        (["--top-p", "0"], "--top-p: must be in (0, 1]"),
        (["--top-p", "1.5"], "--top-p: must be in (0, 1]"),
        (["--top-p", "abc"], "--top-p: invalid value 'abc'"),
        (["--repetition-penalty", "-1"], "--repetition-penalty: must be at least 1"),
        (["--repetition-penalty", "0.5"], "--repetition-penalty: must be at least 1"),
        (["--temperature", "-1"], "--temperature: must be 0 or positive"),
        (["--top-k", "0"], "--top-k: must be at least 1"),
        (["--lines", "0"], "--lines: must be at least 1"),
        (["--words", "-2"], "--words: must be at least 1"),
        (["--penalty-window", "-1"], "--penalty-window: must not be negative"),
        (["--threads", "0"], "--threads: must be at least 1"),
        (["--bogus"], "--bogus: unknown option"),
        (["--prompt-file", "missing.txt"], "missing.txt: no such file"),
        (["--prompt-file", "bytes.txt"], "bytes.txt: not valid UTF-8 text (bad byte at offset 1)"),
        (["--prompt", "x", "--prompt-file", "prompt.txt"], "give --prompt or --prompt-file, not both"),
    ]
    try CLI.assertEachFails([command, "generate", "--model", model], cases, in: dir, file: file, line: line)
    CLI.assertOneLineError(try CLI.run([command, "generate", "--model", "missing.safetensors"], in: dir),
                           "missing.safetensors: no such file", file: file, line: line)
    CLI.assertOneLineError(try CLI.run([command, "generate"], in: dir), "--model: missing (required)", file: file, line: line)
    CLI.assertOneLineError(try CLI.run([command, "generate", "--model", otherKind, "--seed", "1"], in: dir), otherKind + ": ",
                           contains: "not a lyrics \(command) model checkpoint", file: file, line: line)
}
