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
