import Foundation
import XCTest
@testable import Evaluation
import LyricsCore

/// Checks every chart a reader could stumble on: XML that parses, every text inside the canvas,
/// no two texts on top of each other (boxes measured as generously as the layout measures them).
func assertReadable(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
    let doc = SVGDocument(svg, file: file, line: line)
    let canvas = PlotRect(x: 0, y: 0, w: doc.svgSize.w, h: doc.svgSize.h)
    let texts = doc.texts
    XCTAssertFalse(texts.isEmpty, file: file, line: line)
    let boxes = texts.map(doc.box)
    for (t, b) in zip(texts, boxes) {
        XCTAssertLessThan(b.outside(canvas), 0.5, "text \"\(t.text)\" leaves the canvas: \(b)", file: file, line: line)
        XCTAssertFalse(t.text.contains("-0") && Double(t.text) == 0, "tick label \(t.text)", file: file, line: line)
    }
    for i in boxes.indices {
        for j in boxes.indices where j > i {
            XCTAssertLessThan(boxes[i].intersection(boxes[j]), 1e-6,
                              "\"\(texts[i].text)\" overlaps \"\(texts[j].text)\"", file: file, line: line)
        }
    }
}

final class PlotAxisTests: XCTestCase {
    func testNiceNumbersFollowHeckbert() {
        XCTAssertEqual(PlotAxis.niceNumber(2.95, round: false), 5)
        XCTAssertEqual(PlotAxis.niceNumber(0.737, round: true), 1, accuracy: 1e-12)
        XCTAssertEqual(PlotAxis.niceNumber(0.0021, round: true), 0.002, accuracy: 1e-15)
        XCTAssertEqual(PlotAxis.niceNumber(140, round: false), 200, accuracy: 1e-9)
    }

    /// -0.03...2.7 padded by 4% is -0.139...2.809: steps of 0.5 give 6 ticks, the count nearest 5.
    func testRangeAcrossZeroGetsRoundTicksAndNoMinusZero() {
        let a = PlotAxis(dataMin: -0.03, dataMax: 2.7)
        XCTAssertEqual(a.step, 0.5)
        XCTAssertEqual(a.ticks.map(a.label), ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
        XCTAssertEqual(a.lo, -0.03 - 0.04 * 2.73, accuracy: 1e-12)
        XCTAssertEqual(a.label(-1e-9), "0.0")
        XCTAssertEqual(PlotAxis(dataMin: -3, dataMax: 12).label(-0.2), "0")
    }

    func testZeroOnlyWhenTheDataIsNearIt() {
        // Training minutes 0.3...11: pinned to 0 (the old chart printed "-0" there).
        let minutes = PlotAxis(dataMin: 0.3, dataMax: 11)
        XCTAssertEqual(minutes.lo, 0)
        XCTAssertEqual(minutes.ticks.map(minutes.label), ["0", "2", "4", "6", "8", "10"])
        // Validation bits 2.2...4.8: starts near the data, not at 0.
        let bits = PlotAxis(dataMin: 2.2, dataMax: 4.8)
        XCTAssertEqual(bits.lo, 2.2 - 0.04 * 2.6, accuracy: 1e-12)
        XCTAssertEqual(bits.ticks.map(bits.label), ["2.5", "3.0", "3.5", "4.0", "4.5"])
        // All negative, close to 0 at the top.
        let neg = PlotAxis(dataMin: -50, dataMax: -2)
        XCTAssertEqual(neg.hi, 0)
    }

    func testOneValueGetsAWindowAroundIt() {
        let a = PlotAxis(dataMin: 3, dataMax: 3)
        XCTAssertTrue(a.lo < 3 && a.hi > 3 && a.ticks.contains(3), "\(a)")
        let z = PlotAxis(dataMin: 0, dataMax: 0)
        XCTAssertTrue(z.lo < 0 && z.hi > 0 && z.ticks.map(z.label).contains("0.0"), "\(z)")
    }

    /// Random ranges over 12 orders of magnitude: ticks are multiples of a 1-2-5 step inside the
    /// range, 3 to 8 of them, their labels distinct and exact to the step, and the range hugs the data.
    func testRandomRangesGetNiceTicks() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<500 {
            let scale = pow(10, Double(rng.next() % 12) - 6)
            var a = (rng.nextDouble() * 2 - 1) * scale, b = (rng.nextDouble() * 2 - 1) * scale
            if a > b { swap(&a, &b) }
            if b - a < scale * 1e-3 { continue }
            let axis = PlotAxis(dataMin: a, dataMax: b)
            let mantissa = axis.step / pow(10, log10(axis.step).rounded(.down))
            XCTAssertTrue([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "step \(axis.step)")
            XCTAssertTrue((3...8).contains(axis.ticks.count), "\(a)...\(b): \(axis.ticks)")
            XCTAssertTrue(axis.lo <= a && axis.hi >= b)
            XCTAssertLessThanOrEqual(axis.hi - axis.lo, (b - a) * 1.08 + 0.2 * (b - a) + 1e-12)
            let labels = axis.ticks.map(axis.label)
            XCTAssertEqual(Set(labels).count, labels.count, "\(labels)")
            for (t, l) in zip(axis.ticks, labels) {
                XCTAssertTrue(t >= axis.lo - 1e-12 * scale && t <= axis.hi + 1e-12 * scale)
                XCTAssertEqual(Double(l)!, t, accuracy: axis.step * 1e-6)
                XCTAssertFalse(l.hasPrefix("-") && Double(l) == 0, l)
            }
        }
    }
}

final class PlotTextTests: XCTestCase {
    func testWidthsAreTheMeasuredAdvances() {
        // "m" is 0.974 em in DejaVu Sans (wider than Arial's 0.833).
        XCTAssertEqual(PlotText.width("m", size: 10), 9.74, accuracy: 1e-9)
        XCTAssertEqual(PlotText.width("", size: 10), 0)
        XCTAssertEqual(PlotText.width("é", size: 10), 10)
    }

    func testShortensPathsThenTheMiddle() {
        let label = "cosine (runs/long2/word-cosine.safetensors)"
        XCTAssertEqual(PlotText.shorten(label, toWidth: 1000, size: 11), label)
        XCTAssertEqual(PlotText.shorten(label, toWidth: 130, size: 11), "cosine (word-cosine)")
        // A number is not a path.
        XCTAssertEqual(PlotText.shorten("lr 2.5e-3 run with a long name", toWidth: 150, size: 11).hasPrefix("lr 2.5e"), true)
        let tight = PlotText.shorten(label, toWidth: 60, size: 11)
        XCTAssertLessThanOrEqual(PlotText.width(tight, size: 11), 60)
        XCTAssertTrue(tight.hasPrefix("cos") && tight.hasSuffix(")") && tight.contains(PlotText.ellipsis), tight)
    }
}

final class LabelPlacerTests: XCTestCase {
    func testLoneLabelSitsUpperRightOfItsPoint() {
        let bounds = PlotRect(x: 0, y: 0, w: 200, h: 200)
        let p = LabelPlacer.place(anchors: [(100, 100)], sizes: [(30, 12)], bounds: bounds)[0]
        XCTAssertFalse(p.moved)
        XCTAssertGreaterThan(p.box.x, 100)
        XCTAssertLessThan(p.box.y + p.box.h / 2, 100)
    }

    func testLabelNearTheEdgeStaysInside() {
        let bounds = PlotRect(x: 0, y: 0, w: 200, h: 200)
        let p = LabelPlacer.place(anchors: [(198, 2)], sizes: [(40, 12)], bounds: bounds)[0]
        XCTAssertEqual(p.box.outside(bounds), 0)
    }

    /// Thirty words, several in tight clusters (three on one pixel): no two label boxes overlap,
    /// no label covers another word's point, and the crowded ones get leader lines.
    func testCrowdedLabelsDoNotOverlap() {
        let svg = SVGPlot.scatter(SVGPlotFixtures.crowdedWords(), title: "PCA", xLabel: "PC 1", yLabel: "PC 2")
        assertReadable(svg)
        let doc = SVGDocument(svg)
        let labels = doc.texts.filter { $0.number("font-size") == 11 }
        XCTAssertEqual(labels.count, 30)
        let circles = doc.elements.filter { $0.name == "circle" }.map { ($0.number("cx"), $0.number("cy")) }
        XCTAssertEqual(circles.count, 30)
        let frame = doc.elements.first { $0.name == "rect" && $0.attributes["fill"] == "none" }!
        let plot = PlotRect(x: frame.number("x"), y: frame.number("y"), w: frame.number("width"), h: frame.number("height"))
        for (i, t) in labels.enumerated() {
            let b = doc.box(t)
            XCTAssertEqual(b.outside(plot), 0, accuracy: 0.5, t.text)
            for (j, c) in circles.enumerated() where j != i {
                XCTAssertFalse(b.inset(0.5).contains(c.0, c.1), "\"\(t.text)\" covers the point of \"\(labels[j].text)\"")
            }
        }
        XCTAssertGreaterThan(doc.elements.filter { $0.name == "line" && $0.attributes["stroke"] == "#999" }.count, 0)
    }
}

final class LegendTests: XCTestCase {
    struct Parts {
        let plot: PlotRect
        let legend: PlotRect
        let names: [String]
        let curves: [[(x: Double, y: Double)]]
    }

    func parts(_ svg: String) -> Parts {
        let doc = SVGDocument(svg)
        func rect(_ e: SVGDocument.Element) -> PlotRect { PlotRect(x: e.number("x"), y: e.number("y"), w: e.number("width"), h: e.number("height")) }
        let plot = rect(doc.elements.first { $0.name == "rect" && $0.attributes["fill"] == "none" }!)
        let legend = rect(doc.elements.first { $0.name == "rect" && $0.attributes["fill-opacity"] != nil }!)
        let names = doc.texts.filter { $0.number("font-size") == SVGPlot.legendSize }.map(\.text)
        return Parts(plot: plot, legend: legend, names: names, curves: doc.polylines)
    }

    /// Falling loss curves leave the upper right free: the legend goes there, names every
    /// series (paths cut to file stems), and no curve passes under it.
    func testLegendSitsInAFreeCornerAndNamesEverySeries() {
        let svg = SVGPlot.lines(SVGPlotFixtures.validCurves(), title: "Validation bits per character", xLabel: "training minutes", yLabel: "bits/char")
        assertReadable(svg)
        let p = parts(svg)
        XCTAssertEqual(p.names, ["char LSTM (char)", "vmf (word-vmf)", "cosine (word-cosine)"])
        XCTAssertEqual(p.legend.outside(p.plot), 0)
        XCTAssertGreaterThan(p.legend.x, p.plot.x + p.plot.w / 2, "expected the upper right corner")
        for c in p.curves { XCTAssertFalse(SVGPlot.touches(c, p.legend), "a curve runs under the legend") }
        // The plot takes the canvas: no empty band kept for a legend on the right.
        XCTAssertGreaterThan(p.plot.maxX, 640 - 20)
    }

    /// Curves everywhere: the legend moves right of the plot, which shrinks to make room, and
    /// all six names (long, shortened in the middle if needed) fit on the canvas.
    func testLegendMovesOutsideWhenNoCornerIsFree() {
        let series = SVGPlotFixtures.sixCrossing()
        let svg = SVGPlot.lines(series, title: "Six models", xLabel: "minutes", yLabel: "bits/char")
        assertReadable(svg)
        let p = parts(svg)
        XCTAssertEqual(p.names.count, 6)
        XCTAssertGreaterThan(p.legend.x, p.plot.maxX)
        XCTAssertLessThanOrEqual(p.legend.maxX, 640)
        for (n, s) in zip(p.names, series) { XCTAssertTrue(n == s.name || n.contains(PlotText.ellipsis), n) }
        // Six distinct colour + marker pairs.
        XCTAssertEqual(Set((0..<6).map { SVGPlot.lineStyle($0) + SVGPlot.marker($0, 0, 0).prefix(8) }).count, 6)
    }

    func testLongNamesAreShortenedNotCut() {
        let long = String(repeating: "very long experiment name ", count: 8)
        let svg = SVGPlot.lines([.init(name: long, points: [(0, 1), (1, 2)]), .init(name: "b", points: [(0, 2), (1, 1)])],
                                title: "t", xLabel: "x", yLabel: "y", width: 400, height: 300)
        assertReadable(svg)
        let p = parts(svg)
        XCTAssertTrue(p.names[0].contains(PlotText.ellipsis) && p.names[0].hasPrefix("very lon"), p.names[0])
        XCTAssertLessThanOrEqual(p.legend.maxX, 400)
    }

    /// A NaN breaks the curve instead of writing "nan" into the SVG; one point still shows.
    func testNonFiniteValuesAndSinglePoints() {
        let svg = SVGPlot.lines([.init(name: "gap", points: [(0, 1), (1, .nan), (2, 2), (3, 2.5)]), .init(name: "one", points: [(1, 1.5)])],
                                title: "t", xLabel: "x", yLabel: "y")
        assertReadable(svg)
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertEqual(SVGDocument(svg).polylines.count, 1)
    }

    /// No series, no finite value, no point: still a well-formed chart with axes, no "nan".
    func testDegenerateInputsGiveValidCharts() {
        for svg in [SVGPlot.lines([], title: "empty", xLabel: "x", yLabel: "y"),
                    SVGPlot.lines([.init(name: "no finite value", points: [(.nan, .nan), (.infinity, 1)])], title: "", xLabel: "x", yLabel: "y"),
                    SVGPlot.scatter([], title: "none", xLabel: "x", yLabel: "y"),
                    SVGPlot.scatter([("one", 2, 2), ("inf", .infinity, 0)], title: "one", xLabel: "x", yLabel: "y")] {
            assertReadable(svg)
            XCTAssertFalse(svg.contains(">nan<") || svg.contains("\"nan\"") || svg.contains(",nan") || svg.contains("inf\""), svg)
        }
    }
}

final class ChartFrameTests: XCTestCase {
    /// Wide tick labels (steps in the hundred thousands, tiny losses) stay on the canvas and apart.
    func testWideTickLabelsFit() {
        let svg = SVGPlot.lines([.init(name: "a", points: [(0, 0.000_12), (987_654, 0.000_31)])], title: "t", xLabel: "step", yLabel: "loss",
                                width: 360, height: 240)
        assertReadable(svg)
        let doc = SVGDocument(svg)
        XCTAssertTrue(doc.texts.contains { $0.text == "0.0003" } && doc.texts.contains { $0.text == "1000000" }, doc.texts.map(\.text).description)
    }
}
