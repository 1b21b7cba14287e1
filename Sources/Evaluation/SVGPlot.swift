import Foundation

/// Minimal, dependency-free SVG charts for exported reports: line charts for loss curves and a
/// labelled scatter for word-vector projections. Plain SVG renders in GitHub, Jupyter and browsers.
/// Layout (ticks, margins, legend, labels) is computed here because SVG cannot measure text:
/// see `PlotAxis`, `PlotText`, `ChartFrame` and `LabelPlacer`.
public enum SVGPlot {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// Six colours (matplotlib's tab10 order, red and orange swapped for contrast next to blue),
    /// each paired with its own marker so series stay apart in grey print; past six, lines dash.
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
    static let legendSize = 11.0, legendRow = 17.0, legendPad = 6.0, swatch = 26.0

    /// A line chart with axes, ticks and a legend naming every series. The legend goes in a
    /// corner of the plot that no curve passes through, else to the right of the plot.
    public static func lines(_ series: [Series], title: String, xLabel: String, yLabel: String,
                             width: Double = 640, height: Double = 400) -> String {
        let all = series.flatMap(\.points)
        func frame(right: Double) -> ChartFrame {
            ChartFrame(width: width, height: height, points: all, title: title, xLabel: xLabel, yLabel: yLabel, reserveRight: right)
        }
        var f = frame(right: 0)
        var names = PlotText.shorten(series.map(\.name), toWidth: 0.4 * f.plot.w, size: legendSize)
        var origin: (x: Double, y: Double)? = nil
        if series.count > 0 {
            let size = legendBox(names)
            let paths = series.map { pixelRuns($0.points, f) }
            let inner = f.plot.inset(6)
            let spots = [(inner.maxX - size.w, inner.y), (inner.x, inner.y), (inner.maxX - size.w, inner.maxY - size.h),
                         (inner.x, inner.maxY - size.h), (inner.x + (inner.w - size.w) / 2, inner.y),
                         (inner.x + (inner.w - size.w) / 2, inner.maxY - size.h)]
            if size.w <= inner.w, size.h <= inner.h {
                origin = spots.first { spot in
                    let box = PlotRect(x: spot.0, y: spot.1, w: size.w, h: size.h).inset(-4)
                    return !paths.joined().contains { run in touches(run, box) }
                }.map { (x: $0.0, y: $0.1) }
            }
            if origin == nil {
                // Outside on the right: labels get up to 28% of the canvas, the plot the rest.
                names = PlotText.shorten(series.map(\.name), toWidth: 0.28 * width, size: legendSize)
                let w = legendBox(names).w
                f = frame(right: w + 4)
                origin = (x: f.plot.maxX + 12, y: f.plot.y)
            }
        }
        var svg = f.open()
        for (i, s) in series.enumerated() {
            let style = lineStyle(i)
            for run in pixelRuns(s.points, f) where run.count > 1 {
                let pts = run.map { String(format: "%.1f,%.1f", $0.x, $0.y) }.joined(separator: " ")
                svg += "<polyline fill=\"none\" \(style) points=\"\(pts)\"/>\n"
            }
            // About ten markers per curve, staggered between series so they do not sit on each other.
            let visible = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            let every = max(1, Int((Double(visible.count) / 10).rounded(.up)))
            for (j, p) in visible.enumerated() where visible.count == 1 || (j + i * every / max(series.count, 1)) % every == 0 {
                svg += marker(i, f.px(p.x), f.py(p.y))
            }
        }
        if let o = origin { svg += legend(names, at: o) }
        return svg + "</svg>\n"
    }

    /// A scatter of labelled points (e.g. words in a 2-D PCA projection). Labels are placed so
    /// they do not overlap (`LabelPlacer`); one moved away from its point gets a leader line.
    public static func scatter(_ points: [(label: String, x: Double, y: Double)], title: String,
                               xLabel: String, yLabel: String, width: Double = 640, height: Double = 480) -> String {
        let shown = points.filter { $0.x.isFinite && $0.y.isFinite }
        let f = ChartFrame(width: width, height: height, points: shown.map { ($0.x, $0.y) }, title: title,
                           xLabel: xLabel, yLabel: yLabel, margin: 0.06, zeroWithin: 0)
        let size = 11.0, radius = 3.0
        let anchors = shown.map { (x: f.px($0.x), y: f.py($0.y)) }
        let placed = LabelPlacer.place(anchors: anchors, sizes: shown.map { (PlotText.width($0.label, size: size), size * 1.2) },
                                       bounds: f.plot.inset(1), pointRadius: radius)
        var svg = f.open()
        for (a, p) in zip(anchors, placed) where p.moved {
            let e = p.box.nearest(to: a.x, a.y)
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-width=\"0.7\"/>\n", a.x, a.y, e.x, e.y)
        }
        for a in anchors {
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.0f\" fill=\"%@\"/>", a.x, a.y, radius, palette[0])
        }
        svg += "\n"
        for (p, b) in zip(shown, placed) {
            // Baseline at 0.9 em below the box top (ascender height of the fonts measured).
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\">%@</text>\n", b.box.x, b.box.y + 0.95 * size, size, PlotText.escape(p.label))
        }
        return svg + "</svg>\n"
    }

    /// Finite points in pixels, split where a value is NaN or infinite (a gap in the curve).
    static func pixelRuns(_ points: [(x: Double, y: Double)], _ f: ChartFrame) -> [[(x: Double, y: Double)]] {
        var runs = [[(x: Double, y: Double)]](), run = [(x: Double, y: Double)]()
        for p in points {
            if p.x.isFinite && p.y.isFinite { run.append((f.px(p.x), f.py(p.y))) } else if !run.isEmpty { runs.append(run); run = [] }
        }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    /// Whether a polyline (or single point) passes through `box`, sampled every 2 pixels.
    static func touches(_ run: [(x: Double, y: Double)], _ box: PlotRect) -> Bool {
        if run.contains(where: { box.contains($0.x, $0.y) }) { return true }
        for (a, b) in zip(run, run.dropFirst()) {
            let steps = Int(hypot(b.x - a.x, b.y - a.y) / 2) + 1
            for k in 1..<max(steps, 2) {
                let t = Double(k) / Double(steps)
                if box.contains(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)) { return true }
            }
        }
        return false
    }

    static func legendBox(_ names: [String]) -> (w: Double, h: Double) {
        let text = names.map { PlotText.width($0, size: legendSize) }.max() ?? 0
        return (2 * legendPad + swatch + 6 + text, 2 * legendPad + Double(names.count) * legendRow - 4)
    }

    static func legend(_ names: [String], at o: (x: Double, y: Double)) -> String {
        let size = legendBox(names)
        var s = String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbb\"/>\n", o.x, o.y, size.w, size.h)
        for (i, name) in names.enumerated() {
            let cy = o.y + legendPad + Double(i) * legendRow + (legendRow - 4) / 2
            let x0 = o.x + legendPad
            s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" %@/>", x0, cy, x0 + swatch, cy, lineStyle(i))
            s += marker(i, x0 + swatch / 2, cy)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\">%@</text>\n", x0 + swatch + 6, cy + 0.35 * legendSize, legendSize, PlotText.escape(name))
        }
        return s
    }

    static func lineStyle(_ i: Int) -> String {
        "stroke=\"\(palette[i % palette.count])\" stroke-width=\"2\"" + (i >= palette.count ? " stroke-dasharray=\"6 3\"" : "")
    }

    /// Series i's marker: circle, square, triangle, diamond, inverted triangle, cross.
    static func marker(_ i: Int, _ x: Double, _ y: Double) -> String {
        let c = palette[i % palette.count]
        func poly(_ p: [(Double, Double)]) -> String {
            "<polygon fill=\"\(c)\" points=\"" + p.map { String(format: "%.1f,%.1f", x + $0.0, y + $0.1) }.joined(separator: " ") + "\"/>"
        }
        switch i % 6 {
        case 0: return String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.3\" fill=\"%@\"/>", x, y, c)
        case 1: return String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"%@\"/>", x - 3, y - 3, c)
        case 2: return poly([(0, -4.2), (3.8, 2.6), (-3.8, 2.6)])
        case 3: return poly([(0, -4.2), (4.2, 0), (0, 4.2), (-4.2, 0)])
        case 4: return poly([(0, 4.2), (3.8, -2.6), (-3.8, -2.6)])
        default:
            return String(format: "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%@\" stroke-width=\"2\"/>",
                          x - 3.5, y - 3.5, x + 3.5, y + 3.5, x - 3.5, y + 3.5, x + 3.5, y - 3.5, c)
        }
    }
}
