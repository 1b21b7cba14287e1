import Foundation
import LyricsCore
import TestSupport
import XCTest

/// Running the built `lyrics` binary from the tests, in the style of swift-argument-parser's
/// example tests: exit status, stdout and stderr of a real process on tiny inputs. Every test
/// skips when the executable was not built next to the test bundle.
enum CLI {
    typealias Result = (status: Int32, out: String, err: String)

    /// The executable, or a skip.
    static func executable() throws -> URL {
        let exe = try LyricsExecutable.orSkip(for: Fixture.self)
        return exe
    }

    /// Runs `lyrics args...` in `dir`.
    static func run(_ args: [String], in dir: URL, stdin: String? = nil) throws -> Result {
        try LyricsExecutable.run(try executable(), args, in: dir, stdin: stdin)
    }

    /// A fresh temporary directory, removed when `test` ends.
    static func tempDir(_ test: XCTestCase) throws -> URL {
        try test.temporaryFolder("cli")
    }

    static func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }

    /// Names in `dir`, hidden ones (an atomic write's temporary file) included.
    static func files(in dir: URL) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
    }

    /// The command failed with a non-zero status, nothing on stdout, and exactly one stderr line
    /// that starts with `error: ` + `start` (the file or field it names).
    static func assertOneLineError(_ r: Result, _ start: String, contains fragment: String = "",
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, "expected a failure; stdout: \(r.out)", file: file, line: line)
        XCTAssertEqual(r.out, "", "no output on failure", file: file, line: line)
        XCTAssertTrue(r.err.hasPrefix("error: " + start), "stderr: \(r.err)", file: file, line: line)
        XCTAssertTrue(fragment.isEmpty || r.err.contains(fragment), "stderr lacks '\(fragment)': \(r.err)", file: file, line: line)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, "not one line: \(r.err)", file: file, line: line)
        XCTAssertTrue(r.err.hasSuffix("\n"), file: file, line: line)
    }

    /// `lyrics command... args...` fails as `assertOneLineError` says for every case (the extra
    /// arguments, the start of the error line after `error: `, a fragment it must hold or "").
    static func assertEachFails(_ command: [String], _ cases: [([String], String, String)], in dir: URL,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        for (args, start, fragment) in cases {
            assertOneLineError(try run(command + args, in: dir), start, contains: fragment, file: file, line: line)
        }
    }

    static func assertEachFails(_ command: [String], _ cases: [([String], String)], in dir: URL,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        try assertEachFails(command, cases.map { ($0.0, $0.1, "") }, in: dir, file: file, line: line)
    }

    /// `lyrics KIND fine-tune` of `base` on `corpus` for 2 steps into `tuned.safetensors` in
    /// `dir`: the resumable-stop summary on stdout and the base named on stderr.
    static func assertFineTunesTwoSteps(_ kind: String, base: String, corpus: String, seqLength: Int, in dir: URL,
                                        file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let r = try run([kind, "fine-tune", "--base", base, "--corpus", corpus, "--output", "tuned.safetensors",
                         "--steps", "2", "--batch", "2", "--seq-length", "\(seqLength)", "--threads", "1"], in: dir)
        XCTAssertEqual(r.status, 0, r.err, file: file, line: line)
        XCTAssertTrue(r.out.hasPrefix("steps 2 train "), r.out, file: file, line: line)
        XCTAssertTrue(r.out.hasSuffix("checkpoint tuned.safetensors (continue with --resume)\n"), r.out, file: file, line: line)
        XCTAssertTrue(r.err.contains("fine-tuning \(base): "), r.err, file: file, line: line)
        XCTAssertTrue(r.err.contains("starting valid bpc"), r.err, file: file, line: line)
        return r
    }

    /// `lyrics KIND evaluate --json` of `model` on the fixture corpus: the score of its test part
    /// (checked to count that part's characters).
    static func assertEvaluatesTestPart(_ kind: String, model: String, _ fixture: Fixture, in dir: URL,
                                        file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = try run([kind, "evaluate", "--model", model, "--corpus", fixture.corpus, "--json", "--threads", "1"], in: dir)
        XCTAssertEqual(r.status, 0, r.err, file: file, line: line)
        let score = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], r.out, file: file, line: line)
        XCTAssertEqual(score["characters"] as? Int, try fixture.testPart().count, file: file, line: line)
        return score
    }

    /// Bytes that are not UTF-8 (0xFF), for a prompt or corpus that must be refused.
    static let notUTF8 = Data([0x61, 0xFF, 0x0A])
}

/// The tiny inputs the command tests share, made once per test process with the built binary
/// (about a second in debug): a 1,200-line corpus of 18 words (so its test and validation parts
/// are 50 lines each), 8-dimensional word vectors trained on it, a char and a word model trained
/// for a few steps (1 × 8 LSTMs), and fine-tuned copies of both (for `blend` and the report).
/// Tests read these files and write only into their own temporary directory.
final class Fixture {
    let dir: URL
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    var corpus: String { path("corpus.txt") }
    var vectors: String { path("vectors.bin") }
    var char: String { path("char.safetensors") }
    var word: String { path("word.safetensors") }
    var charTuned: String { path("char-tuned.safetensors") }
    var charScratch: String { path("char-scratch.safetensors") }
    var wordTuned: String { path("word-tuned.safetensors") }
    func testPart() throws -> String { try Corpus(path: corpus).split.test }

    nonisolated(unsafe) private static var made: Result<Fixture, Error>?
    nonisolated(unsafe) private static var madeDir: URL?

    /// The shared fixture; a failure to make it fails (or skips) every test that asks.
    static func shared() throws -> Fixture {
        _ = try CLI.executable()
        if made == nil { made = Result { try Fixture() } }
        return try made!.get()
    }

    static let words = ["the", "night", "is", "long", "and", "cold", "my", "heart", "sings", "of", "summer", "rain",
                        "light", "falls", "on", "sea", "love", "Love's"]

    /// 1,200 lines of 3 to 7 words drawn with a fixed seed.
    static func corpusText(lines: Int = 1_200, seed: UInt64 = 3) -> String {
        var rng = SeededRandom(seed: seed)
        return (0..<lines).map { _ in
            (0..<(3 + Int(rng.next() % 5))).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    private init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        Self.madeDir = dir
        atexit { if let dir = Fixture.madeDir { try? FileManager.default.removeItem(at: dir) } }
        try CLI.write(Self.corpusText(), dir.appendingPathComponent("corpus.txt"))
        let small = ["--hidden", "8", "--layers", "1", "--batch", "2", "--threads", "1", "--quiet"]
        let steps: [[String]] = [
            ["vectors", "train", "--corpus", "corpus.txt", "--part", "train", "--out", "vectors", "--dimensions", "8",
             "--epochs", "1", "--min-count", "1", "--threads", "1", "--quiet"],
            ["char", "train", "--corpus", "corpus.txt", "--output", "char.safetensors", "--embedding", "4", "--seq-length", "8",
             "--steps", "3"] + small,
            ["word", "train", "--vectors", "vectors.bin", "--corpus", "corpus.txt", "--output", "word.safetensors",
             "--seq-length", "4", "--steps", "3"] + small,
            ["char", "fine-tune", "--base", "char.safetensors", "--corpus", "corpus.txt", "--output", "char-tuned.safetensors",
             "--seq-length", "8", "--epochs", "0.01", "--batch", "2", "--threads", "1", "--quiet"],
            ["char", "fine-tune", "--base", "char.safetensors", "--corpus", "corpus.txt", "--output", "char-scratch.safetensors",
             "--from-scratch", "--seq-length", "8", "--epochs", "0.01", "--batch", "2", "--threads", "1", "--quiet"],
            ["word", "fine-tune", "--base", "word.safetensors", "--corpus", "corpus.txt", "--output", "word-tuned.safetensors",
             "--seq-length", "4", "--steps", "2", "--batch", "2", "--threads", "1", "--quiet"],
        ]
        for args in steps {
            let r = try CLI.run(args, in: dir)
            guard r.status == 0 else { throw LyricsError(file: args.joined(separator: " "), "fixture step failed: \(r.err)") }
        }
    }
}
