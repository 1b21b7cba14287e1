import Foundation
import LyricsCore
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
        for (args, start) in cases {
            CLI.assertOneLineError(try run(["word", "generate", "--model", fixture.word, "--seed", "1"] + args), start)
        }
        XCTAssertEqual(CLI.files(in: dir), ["prompt.txt", "bytes.txt"])
    }

    func testEvaluateScoresTheTestPart() throws {
        let j = try run(["word", "evaluate", "--model", fixture.word, "--corpus", fixture.corpus, "--json", "--threads", "1"])
        XCTAssertEqual(j.status, 0, j.err)
        let score = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any])
        let test = try Corpus(path: fixture.corpus).split.test
        XCTAssertEqual(score["characters"] as? Int, test.count)
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

        CLI.assertOneLineError(try run(["word", "evaluate", "--model", fixture.char, "--corpus", fixture.corpus]),
                               fixture.char + ": ", contains: "not a lyrics word model checkpoint")
        CLI.assertOneLineError(try run(["word", "evaluate", "--model", fixture.word, "--corpus", "missing.txt"]), "missing.txt: no such file")
        CLI.assertOneLineError(try run(["word", "evaluate", "--model", fixture.word, "--corpus", fixture.corpus, "--vectors", "missing.bin"]),
                               "missing.bin: no such file")
    }

    func testFineTuneWritesACheckpointThatGenerates() throws {
        let r = try run(["word", "fine-tune", "--base", fixture.word, "--corpus", fixture.corpus, "--output", "tuned.safetensors",
                         "--steps", "2", "--batch", "2", "--seq-length", "4", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("steps 2 train "), r.out)
        XCTAssertTrue(r.out.hasSuffix("checkpoint tuned.safetensors (continue with --resume)\n"), r.out)
        XCTAssertTrue(r.err.contains("fine-tuning \(fixture.word): "), r.err)
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
        for (args, start, fragment) in cases {
            let r = try run(["word", "fine-tune", "--output", "out.safetensors", "--steps", "1", "--threads", "1"] + args)
            CLI.assertOneLineError(r, start, contains: fragment)
        }
        XCTAssertEqual(CLI.files(in: dir), [])
    }
}
