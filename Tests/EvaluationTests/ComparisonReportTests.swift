import Foundation
import XCTest
import LyricsCore
import TestSupport
import NeuralNet
import Evaluation
@testable import WordModel

/// The comparison report exports Markdown, SVGs and a notebook that python's nbformat accepts.
final class ReportTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    func testComparisonReportExportsValidNotebook() throws {
        let dir = Tiny.tempDir()
        let t = try Tiny.trainer(.vmf, dropout: 0)
        try t.run(maxSteps: 6)
        let path = dir + "/w.safetensors"
        try WordCheckpoint.save(t, to: path)
        let loaded = try WordCheckpoint.load(path)
        let spelling = SpellingModel(trainingText: Tiny.text)
        let held = HeldOutText(normalized: Tiny.text, table: t.model.table, spelling: spelling)
        let m = try WordCheckpoint.model(loaded, table: t.model.table, batch: 2, maxSteps: 5)
        let scores = [Comparison.score(word: m, text: held, name: path)]
        let report = try ComparisonReport.build(scores: scores, entries: [.word(path: path, loaded: loaded, table: t.model.table)],
                                                corpus: "tiny.txt", part: "test", command: "lyrics compare --word w.safetensors",
                                                sampleLines: 2, seed: 1, pcaWords: ["shake", "day", "eye", "heaven", "gold"])
        let written = try report.export(to: dir, name: "comparison")
        XCTAssertTrue(written.contains { $0.hasSuffix("comparison-pca.svg") })
        XCTAssertTrue(written.contains { $0.hasSuffix("comparison-valid-bpc.svg") })
        XCTAssertTrue(written.contains { $0.hasSuffix("comparison-train-loss-vmf.svg") })
        for svg in written where svg.hasSuffix(".svg") { assertReadable(try String(contentsOfFile: svg, encoding: .utf8)) }
        let md = try String(contentsOfFile: dir + "/comparison.md", encoding: .utf8)
        XCTAssertTrue(md.contains("| word LSTM, vMF loss |"), md)
        XCTAssertTrue(ComparisonReport.textTable(scores).contains("bits/char"))

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", dir + "/comparison.ipynb"]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "nbformat rejected the notebook")
    }
}
