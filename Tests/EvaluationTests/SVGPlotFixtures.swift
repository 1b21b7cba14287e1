import Foundation
import TestSupport
import XCTest
@testable import Evaluation
import LyricsCore
import WordModel

/// Charts shaped like the reports' (three models' validation curves, training losses, a
/// fine-tuning pair, six crossing series, the PCA of the report's 32 words), checked for
/// readability. With LYRICS_PLOT_DIR set they are also written there as SVGs to look at:
/// `scripts/fixtures/render-plot-fixtures.sh` does that and screenshots them in headless Chromium.
enum SVGPlotFixtures {
    static let root = LyricsExecutable.repositoryRoot

    /// A decaying loss curve from `start` to about `end` over `n` points, with seeded noise.
    static func curve(_ n: Int, x: (Int) -> Double, start: Double, end: Double, rate: Double, noise: Double, seed: UInt64) -> [(x: Double, y: Double)] {
        var rng = SeededRandom(seed: seed)
        return (0..<n).map { i in
            let t = Double(i) / Double(n - 1)
            return (x(i), end + (start - end) * exp(-rate * t) + noise * Double(rng.nextGaussian()))
        }
    }

    static func validCurves() -> [SVGPlot.Series] {
        [.init(name: "char LSTM (runs/long2/char.safetensors)", points: curve(30, x: { 0.7 * Double($0 + 1) }, start: 3.3, end: 2.02, rate: 5, noise: 0.01, seed: 1)),
         .init(name: "vmf (runs/long2/word-vmf.safetensors)", points: curve(32, x: { 0.62 * Double($0 + 1) }, start: 3.1, end: 2.22, rate: 4, noise: 0.01, seed: 2)),
         .init(name: "cosine (runs/long2/word-cosine.safetensors)", points: curve(28, x: { 0.75 * Double($0 + 1) }, start: 4.8, end: 3.47, rate: 3, noise: 0.02, seed: 3))]
    }

    static func trainLoss() -> [SVGPlot.Series] {
        [.init(name: "vmf (word-vmf.safetensors)", points: curve(23, x: { Double(100 * ($0 + 1)) }, start: 10, end: 7.65, rate: 4, noise: 0.03, seed: 4)),
         .init(name: "cosine (word-cosine.safetensors)", points: curve(23, x: { Double(100 * ($0 + 1)) }, start: 0.33, end: 0.22, rate: 4, noise: 0.003, seed: 5))]
    }

    static func fineTuning() -> [SVGPlot.Series] {
        [.init(name: "fine-tuned", points: curve(39, x: { Double(25 * $0) }, start: 2.25, end: 1.55, rate: 4, noise: 0.005, seed: 6)),
         .init(name: "from scratch", points: curve(39, x: { Double(25 * $0) }, start: 4.85, end: 1.55, rate: 6, noise: 0.005, seed: 7))]
    }

    /// Six series that cross all over the plot, so no corner is free for the legend.
    static func sixCrossing() -> [SVGPlot.Series] {
        (0..<6).map { k in
            .init(name: "model \(k + 1): 2x\(128 << (k % 3)) lr \(k + 1)e-3", points: (0..<30).map { i in
                let t = Double(i) / 29
                return (t * 20, 2 + 0.8 * sin(6 * t + Double(k)) + 0.1 * Double(k))
            })
        }
    }

    /// Thirty words spread over the plane, with two near-coincident pairs, a triple on one
    /// spot and a tight group of four.
    static func crowdedWords() -> [(label: String, x: Double, y: Double)] {
        var rng = SeededRandom(seed: 11)
        let loose = ["love", "heart", "soul", "night", "day", "sea", "wave", "river", "king", "queen", "lord", "god",
                     "heaven", "hell", "death", "life", "rose", "flower", "tree", "green", "woman"]
        var pts = loose.map { (label: $0, x: rng.nextDouble() * 2 - 1, y: rng.nextDouble() * 0.8 - 0.4) }
        pts += [("red", -0.45, -0.17), ("silver", -0.447, -0.168), ("sun", -0.3, 0.0), ("morning", -0.3, 0.004),
                ("moon", -0.2, 0.15), ("fire", -0.2, 0.15), ("gold", -0.2, 0.1505), ("man", 0.7, -0.37), ("mother", 0.71, -0.365)]
        return pts
    }

    /// The report's default PCA words projected from the shipped vectors, or nil without them.
    static func pcaOfShippedVectors() throws -> [(label: String, x: Double, y: Double)]? {
        let path = root.appendingPathComponent("vectors/verse-2m.bin").path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let table = try VectorTable.load(path)
        let words = ComparisonReport.defaultPCAWords.split(separator: ",").map(String.init).filter { table.index[$0] != nil }
        var rows = [Float]()
        for w in words {
            let i = Int(table.index[w]!) * table.dimension
            rows += table.unit[i..<(i + table.dimension)]
        }
        let p = try PCA.project(rows, rows: words.count, dim: table.dimension, components: 2)
        return words.enumerated().map { (label: $1, x: Double(p.projected[$0 * 2]), y: Double(p.projected[$0 * 2 + 1])) }
    }
}

final class SVGPlotFixtureTests: XCTestCase {
    func testRepresentativeChartsAreReadable() throws {
        var charts: [(String, String)] = [
            ("valid-bpc", SVGPlot.lines(SVGPlotFixtures.validCurves(), title: "Validation bits per character", xLabel: "training minutes", yLabel: "bits/char")),
            ("train-loss", SVGPlot.lines(SVGPlotFixtures.trainLoss(), title: "Training loss", xLabel: "step", yLabel: "bits/word (vMF) or 1 - cos (cosine)")),
            ("fine-tuning", SVGPlot.lines(SVGPlotFixtures.fineTuning(), title: "Psalms: validation bits per character", xLabel: "training step", yLabel: "valid bits/char")),
            ("six-series", SVGPlot.lines(SVGPlotFixtures.sixCrossing(), title: "Six models", xLabel: "minutes", yLabel: "bits/char")),
            ("crowded-words", SVGPlot.scatter(SVGPlotFixtures.crowdedWords(), title: "Thirty words, some on top of each other", xLabel: "PC 1", yLabel: "PC 2")),
        ]
        if let pts = try SVGPlotFixtures.pcaOfShippedVectors() {
            charts.append(("pca", SVGPlot.scatter(pts, title: "PCA of chosen word vectors", xLabel: "PC 1", yLabel: "PC 2")))
        }
        for (_, svg) in charts { assertReadable(svg) }
        if let dir = ProcessInfo.processInfo.environment["LYRICS_PLOT_DIR"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (name, svg) in charts { try svg.write(toFile: "\(dir)/\(name).svg", atomically: true, encoding: .utf8) }
        }
    }
}
