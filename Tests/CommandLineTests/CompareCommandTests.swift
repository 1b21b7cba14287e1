import Foundation
import TestSupport
import XCTest

/// `lyrics compare`: both kinds of model scored on the same text, the table as text and JSON,
/// the report files; one-line errors that leave no report behind.
final class CompareCommandTests: XCTestCase {
    func testScoresBothKindsAndWritesTheReport() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        let r = try CLI.run(["compare", "--char", fixture.char, "--word", fixture.word, "--corpus", fixture.corpus, "--threads", "1",
                             "--report-dir", "report", "--report-name", "tiny", "--sample-lines", "2", "--pca-words", "night,sea,love,rain"],
                            in: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let rows = r.out.split(separator: "\n")
        XCTAssertTrue(rows[0].hasPrefix("model ") && rows[0].contains("bits/char"), r.out)
        XCTAssertTrue(rows[1].hasPrefix("char LSTM ") && rows[1].contains(" char.safetensors "), r.out)
        // The word model once per speller (unigram, n-gram).
        XCTAssertEqual(rows.filter { $0.hasPrefix("word LSTM, vMF loss") && $0.contains(" word.safetensors ") }.count, 2, r.out)
        XCTAssertTrue(r.err.hasSuffix("report: report/tiny-pca.svg, report/tiny.md, report/tiny.ipynb\n"), r.err)
        let markdown = try String(contentsOf: dir.appendingPathComponent("report/tiny.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains(fixture.char) && markdown.contains(fixture.word), markdown)
        let notebook = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report/tiny.ipynb"))) as? [String: Any])
        XCTAssertEqual(notebook["nbformat"] as? Int, 4)

        let j = try CLI.run(["compare", "--char", fixture.char, "--word", fixture.word, "--corpus", fixture.corpus, "--threads", "1",
                             "--json", "--no-report", "--json-out", "scores.json"], in: dir)
        XCTAssertEqual(j.status, 0, j.err)
        let printed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [[String: Any]])
        let written = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("scores.json"))) as? [[String: Any]])
        XCTAssertEqual(printed.map { $0["kind"] as? String }, ["char", "word-vmf", "word-vmf"])
        XCTAssertEqual(written.map { $0["bitsPerCharacter"] as? Double }, printed.map { $0["bitsPerCharacter"] as? Double })
        // One text, one count of characters and word tokens for both models.
        XCTAssertEqual(Set(printed.map { $0["characters"] as? Int }), [try fixture.testPart().count])
        XCTAssertEqual(Set(printed.map { $0["wordTokens"] as? Int }).count, 1)
        XCTAssertEqual(CLI.files(in: dir), ["report", "scores.json"])
    }

    func testBadInputIsOneLineAndWritesNoReport() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        let cases: [([String], String, String)] = [
            (["--corpus", fixture.corpus], "give --char and/or --word models to compare", ""),
            (["--char", fixture.word, "--corpus", fixture.corpus], fixture.word + ": ", "not a lyrics char model checkpoint"),
            (["--word", fixture.char, "--corpus", fixture.corpus], fixture.char + ": ", "not a lyrics word model checkpoint"),
            (["--char", "missing.safetensors", "--corpus", fixture.corpus], "missing.safetensors: no such file", ""),
            (["--char", fixture.char, "--corpus", "missing.txt"], "missing.txt: no such file", ""),
            (["--char", fixture.char, "--word", "missing.safetensors", "--corpus", fixture.corpus], "missing.safetensors: no such file", ""),
            (["--char", fixture.char, "--corpus", fixture.corpus, "--batch", "0"], "--batch: must be at least 1", ""),
            (["--char", fixture.char, "--corpus", fixture.corpus, "--part", "most"], "--part: invalid value 'most'", ""),
        ]
        try CLI.assertEachFails(["compare", "--report-dir", "report", "--json-out", "scores.json"], cases, in: dir)
        XCTAssertEqual(CLI.files(in: dir), [])
    }
}
