import Foundation
import TestSupport
import XCTest

/// `lyrics fine-tuning-report`: a base model, a fine-tuned and a from-scratch model on one small
/// corpus and a sample song become a Markdown report, a notebook and a curve; bad runs are one
/// line and leave no report folder.
final class FineTuningReportTests: XCTestCase {
    func testWritesTheReport() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        try CLI.write("a line from a\nand one from b\n", dir.appendingPathComponent("song.txt"))
        let r = try CLI.run(["fine-tuning-report", "--base", fixture.char, "--run", "verse=\(fixture.corpus),\(fixture.charTuned),\(fixture.charScratch)",
                             "--sample", "Duet=song.txt", "--output-dir", "report", "--name", "ft", "--threads", "1"], in: dir)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(Set(r.out.split(separator: "\n")), ["report/ft.md", "report/ft.ipynb", "report/ft-curves-verse.svg"])
        let markdown = try String(contentsOf: dir.appendingPathComponent("report/ft.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("| verse | "), markdown)
        XCTAssertTrue(markdown.contains("**Duet**") && markdown.contains("a line from a\nand one from b"), markdown)
        let svg = try String(contentsOf: dir.appendingPathComponent("report/ft-curves-verse.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"), String(svg.prefix(80)))
    }

    func testBadRunsAreOneLineAndWriteNothing() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        let good = "\(fixture.corpus),\(fixture.charTuned),\(fixture.charScratch)"
        let cases: [([String], String, String)] = [
            (["--run", "verse=\(fixture.corpus),\(fixture.charTuned)"], "--run: ", "must be NAME=CORPUS,FINE_TUNED,SCRATCH"),
            (["--run", "verse=\(fixture.corpus),\(fixture.wordTuned),\(fixture.charScratch)"], fixture.wordTuned + ": ", "not a lyrics char model checkpoint"),
            (["--run", "verse=missing.txt,\(fixture.charTuned),\(fixture.charScratch)"], "missing.txt: no such file", ""),
            (["--run", "verse=" + good, "--sample", "Duet=missing.txt"], "missing.txt: no such file", ""),
            (["--run", "verse=" + good, "--sample", "Duet"], "--sample: 'Duet' must be TITLE=FILE", ""),
            ([], "--run: missing (required)", ""),
        ]
        try CLI.assertEachFails(["fine-tuning-report", "--base", fixture.char, "--output-dir", "report", "--threads", "1"], cases, in: dir)
        CLI.assertOneLineError(try CLI.run(["fine-tuning-report", "--base", fixture.word, "--run", "verse=" + good, "--output-dir", "report"], in: dir),
                               fixture.word + ": ", contains: "not a lyrics char model checkpoint")
        XCTAssertEqual(CLI.files(in: dir), [])
    }
}
