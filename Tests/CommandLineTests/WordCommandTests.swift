import Foundation
import TestSupport
import XCTest

/// `lyrics word generate`, `evaluate` and `fine-tune` on the shared tiny model (`word train` is
/// run by the fixture and covered in WordVectorsTests/BringYourOwnTests).
final class WordCommandTests: XCTestCase {
    var fixture: Fixture!
    var dir: URL!

    override func setUpWithError() throws {
        fixture = try Fixture.shared()
        dir = try CLI.tempDir(self)
    }

    func run(_ args: [String]) throws -> CLI.Result { try CLI.run(args, in: dir) }

    func testGenerateCountsWordsRepeatsAndContinuesThePrompt() throws {
        let args = ["word", "generate", "--model", fixture.word, "--words", "6", "--seed", "4"]
        let a = try run(args)
        XCTAssertEqual(a.status, 0, a.err)
        XCTAssertEqual(a.err, "")
        XCTAssertEqual(a.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).count, 6, a.out)
        XCTAssertTrue(a.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).allSatisfy { Fixture.words.map { $0.lowercased() }.contains(String($0)) }, a.out)
        XCTAssertEqual(try run(args).out, a.out)

        let p = try run(["word", "generate", "--model", fixture.word, "--prompt", "Night SEA", "--words", "3", "--seed", "1",
                         "--retrieval", "cosine", "--top-k", "100", "--top-p", "0.9", "--repetition-penalty", "1.2"])
        XCTAssertEqual(p.status, 0, p.err)
        XCTAssertTrue(p.out.hasPrefix("night sea "), p.out)
        XCTAssertEqual(p.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).count, 5, p.out)
        XCTAssertEqual(p.err, "note: top-k 100 is larger than the vocabulary (\(Fixture.words.count + 2)); using all\n")
    }

    func testGenerateRefusesBadValuesWithOneLine() throws {
        try CLI.write("the night\n", dir.appendingPathComponent("prompt.txt"))
        try CLI.notUTF8.write(to: dir.appendingPathComponent("bytes.txt"))
        try assertGenerateRefusesBadValues(command: "word", model: fixture.word, otherKind: fixture.char, in: dir)
        let cases: [([String], String)] = [
            (["--prompt", "zzz qqq"], "prompt: no word of it is in the model's vocabulary"),
            (["--vectors", "missing.bin"], "missing.bin: no such file"),
            (["--vectors", fixture.corpus], fixture.corpus + ": "),
            (["--retrieval", "hubs"], "--retrieval: invalid value 'hubs'"),
        ]
        try CLI.assertEachFails(["word", "generate", "--model", fixture.word, "--seed", "1"], cases, in: dir)
        XCTAssertEqual(CLI.files(in: dir), ["prompt.txt", "bytes.txt"])
    }

    func testEvaluateScoresTheTestPart() throws {
        let score = try CLI.assertEvaluatesTestPart("word", model: fixture.word, fixture, in: dir)
        let test = try fixture.testPart()
        // Words plus one </s> per line; every word of the corpus is in the vectors (min-count 1).
        XCTAssertEqual(score["wordTokens"] as? Int, test.split(whereSeparator: { $0 == " " || $0 == "\n" }).count + 50)
        XCTAssertEqual(score["unknownTokens"] as? Int, 0)
        XCTAssertEqual(score["kind"] as? String, "word-vmf")
        let hits = try XCTUnwrap(score["top10HitRate"] as? Double)
        XCTAssertTrue(hits > 0 && hits <= 1, "\(hits)")

        let t = try run(["word", "evaluate", "--model", fixture.word, "--corpus", fixture.corpus, "--threads", "1"])
        XCTAssertEqual(t.status, 0, t.err)
        XCTAssertTrue(t.out.hasPrefix("\(fixture.corpus) (test, \(test.count) characters, "), t.out)
        XCTAssertTrue(t.out.contains("top-10 hit rate"), t.out)

        try CLI.assertEachFails(["word", "evaluate"], [
            (["--model", fixture.char, "--corpus", fixture.corpus], fixture.char + ": ", "not a lyrics word model checkpoint"),
            (["--model", fixture.word, "--corpus", "missing.txt"], "missing.txt: no such file", ""),
            (["--model", fixture.word, "--corpus", fixture.corpus, "--vectors", "missing.bin"], "missing.bin: no such file", ""),
        ], in: dir)
    }

    func testFineTuneWritesACheckpointThatGenerates() throws {
        let r = try CLI.assertFineTunesTwoSteps("word", base: fixture.word, corpus: fixture.corpus, seqLength: 4, in: dir)
        XCTAssertTrue(r.err.contains(" training / "), r.err)
        let g = try run(["word", "generate", "--model", "tuned.safetensors", "--words", "2", "--seed", "2"])
        XCTAssertEqual(g.status, 0, g.err)
        XCTAssertEqual(g.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).count, 2, g.out)
    }

    func testFineTuneBadInputWritesNoCheckpoint() throws {
        let cases: [([String], String, String)] = [
            (["--base", fixture.char, "--corpus", fixture.corpus], fixture.char + ": ", "not a lyrics word model checkpoint"),
            (["--base", "missing.safetensors", "--corpus", fixture.corpus], "missing.safetensors: no such file", ""),
            (["--base", fixture.word, "--corpus", "missing.txt"], "missing.txt: no such file", ""),
            (["--base", fixture.word, "--corpus", fixture.corpus, "--vectors", "missing.bin"], "missing.bin: no such file", ""),
            (["--base", fixture.word, "--corpus", fixture.corpus, "--batch", "0"], "--batch: must be at least 1", ""),
        ]
        try CLI.assertEachFails(["word", "fine-tune", "--output", "out.safetensors", "--steps", "1", "--threads", "1"], cases, in: dir)
        XCTAssertEqual(CLI.files(in: dir), [])
    }
}
