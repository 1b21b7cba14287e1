import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Evaluation
import LyricsCore
import TestSupport

final class PCATests: XCTestCase {
    /// Points a*u + b*v in 5-D with orthonormal u, v and known spreads: PCA must recover the
    /// variances exactly (up to float rounding) and find no variance in the other directions.
    func testRecoversKnownVariancesAndAxes() throws {
        let u: [Float] = [0.6, 0.8, 0, 0, 0]
        let v: [Float] = [0, 0, 0, 1, 0]
        var rng = SeededRandom(seed: 3)
        let n = 400
        var data = [Float]()
        var aa = (0..<n).map { _ in 3 * rng.nextGaussian() }
        var bb = (0..<n).map { _ in 0.5 * rng.nextGaussian() }
        // Centre both and make the sample of b exactly uncorrelated with a, so the true axes are u, v.
        let ma = aa.reduce(0, +) / Float(n), mb = bb.reduce(0, +) / Float(n)
        aa = aa.map { $0 - ma }
        bb = bb.map { $0 - mb }
        let proj = zip(aa, bb).map { $0 * $1 }.reduce(0, +) / aa.map { $0 * $0 }.reduce(0, +)
        bb = zip(aa, bb).map { $1 - proj * $0 }
        for i in 0..<n { data += (0..<5).map { aa[i] * u[$0] + bb[i] * v[$0] + 7 } }
        func variance(_ x: [Float]) -> Float {
            let m = x.reduce(0, +) / Float(x.count)
            return x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(x.count - 1)
        }
        let r = try PCA.project(data, rows: n, dim: 5, components: 2)
        // Tolerance: single-precision covariance over 400 rows, relative error well under 1e-3.
        XCTAssertEqual(r.variances[0], variance(aa), accuracy: 1e-3 * variance(aa))
        XCTAssertEqual(r.variances[1], variance(bb), accuracy: 1e-2 * variance(bb))
        for j in 0..<5 {
            XCTAssertEqual(r.axes[j], u[j], accuracy: 1e-3)
            XCTAssertEqual(r.axes[5 + j], v[j], accuracy: 1e-2)
        }
        XCTAssertEqual(r.projected.count, n * 2)
    }

    func testRejectsTooFewRows() {
        XCTAssertThrowsError(try PCA.project([1, 2], rows: 1, dim: 2))
    }
}

final class ReportExportTests: XCTestCase {
    func makeReport() -> Report {
        var report = Report(title: "Test report")
        report.add(.heading("Table", level: 2))
        report.add(.table(headers: ["model", "bpc"], rows: [["char", "2.30"], ["word|vmf", "2.25"]]))
        let svg = SVGPlot.lines([.init(name: "train", points: [(0, 3), (1, 2.5), (2, 2.2)]),
                                 .init(name: "valid <b>", points: [(0, 3.1), (2, 2.4)])],
                                title: "Loss", xLabel: "step", yLabel: "bits/char")
        report.add(.figure(name: "loss", svg: svg, caption: "Loss curves"))
        report.add(.figure(name: "pca", svg: SVGPlot.scatter([("love", 1, 2), ("heart", 1.2, 2.1), ("&", -1, 0)],
                                                           title: "PCA", xLabel: "pc1", yLabel: "pc2"),
                           caption: "Word vectors"))
        report.add(.preformatted("the night is long\nand i am here"))
        return report
    }

    func testSVGIsWellFormedXML() {
        for case let .figure(_, svg, _) in makeReport().blocks {
            let parser = XMLParser(data: Data(svg.utf8))
            XCTAssertTrue(parser.parse(), "SVG does not parse: \(String(describing: parser.parserError))")
        }
    }

    func testMarkdownEscapesTableCellsAndLinksFigures() {
        let md = makeReport().markdown(name: "r")
        XCTAssertTrue(md.contains("| word\\|vmf | 2.25 |"))
        XCTAssertTrue(md.contains("![Loss curves](r-loss.svg)"))
    }

    func testExportWritesFilesAndNotebookValidatesWithNbformat() throws {
        let dir = try temporaryFolder("report").path
        let paths = try makeReport().export(to: dir, name: "report")
        XCTAssertEqual(Set(paths.map { ($0 as NSString).lastPathComponent }),
                       ["report-loss.svg", "report-pca.svg", "report.md", "report.ipynb"])
        let nb = (dir as NSString).appendingPathComponent("report.ipynb")
        let script = "import nbformat,sys; nb=nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(len(nb.cells))"
        guard let out = try PythonCheck.run(script, args: [nb], needs: "nbformat") else {
            throw XCTSkip("python3 with nbformat is not installed; run scripts/install-deps.sh to enable the notebook validation test")
        }
        // Title, heading, table, two figures (caption + display cell each) and the samples.
        XCTAssertEqual(out.trimmingCharacters(in: .whitespacesAndNewlines), "8")
    }
}

/// Runs a Python snippet for cross-checks against reference tools; nil when python3 or the
/// needed module is missing, so the caller can skip with a message.
enum PythonCheck {
    static func run(_ script: String, args: [String], needs module: String) throws -> String? {
        guard let probe = Python.run("import \(module)"), probe.status == 0, let r = Python.run(script, args: args) else { return nil }
        guard r.status == 0 else {
            XCTFail("python check failed: \(r.err)")
            return ""
        }
        return r.out
    }
}
