import Foundation

/// Minimal, dependency-free SVG charts for exported reports: line charts for loss curves and a
/// labelled scatter for word-vector projections. Plain SVG renders in GitHub, Jupyter and browsers.
public enum SVGPlot {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    /// A line chart with axes, ticks and a legend.
    public static func lines(_ series: [Series], title: String, xLabel: String, yLabel: String,
                             width: Double = 640, height: Double = 400) -> String {
        let all = series.flatMap(\.points)
        let frame = Frame(width: width, height: height, points: all)
        var svg = frame.open(title: title, xLabel: xLabel, yLabel: yLabel)
        for (i, s) in series.enumerated() where !s.points.isEmpty {
            let color = palette[i % palette.count]
            let path = s.points.map { String(format: "%.1f,%.1f", frame.px($0.x), frame.py($0.y)) }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            let ly = 40 + Double(i) * 18
            svg += String(format: "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%@\" stroke-width=\"2\"/>", width - 190, ly, width - 170, ly, color)
            svg += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\">%@</text>\n", width - 165, ly + 4, escape(s.name))
        }
        return svg + "</svg>\n"
    }

    /// A scatter of labelled points (e.g. words in a 2-D PCA projection).
    public static func scatter(_ points: [(label: String, x: Double, y: Double)], title: String,
                               xLabel: String, yLabel: String, width: Double = 640, height: Double = 480) -> String {
        let frame = Frame(width: width, height: height, points: points.map { ($0.x, $0.y) })
        var svg = frame.open(title: title, xLabel: xLabel, yLabel: yLabel)
        for p in points {
            let x = frame.px(p.x), y = frame.py(p.y)
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f77b4\"/>", x, y)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%@</text>\n", x + 4, y - 4, escape(p.label))
        }
        return svg + "</svg>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Maps data coordinates into the plot area and draws axes with "nice" ticks.
    struct Frame {
        let width, height: Double
        let left = 60.0, right = 200.0, top = 30.0, bottom = 45.0
        let x0, x1, y0, y1: Double

        init(width: Double, height: Double, points: [(x: Double, y: Double)]) {
            self.width = width
            self.height = height
            let xs = points.map(\.x).filter(\.isFinite), ys = points.map(\.y).filter(\.isFinite)
            var (a, b) = (xs.min() ?? 0, xs.max() ?? 1)
            var (c, d) = (ys.min() ?? 0, ys.max() ?? 1)
            if b - a < 1e-12 { a -= 0.5; b += 0.5 }
            if d - c < 1e-12 { c -= 0.5; d += 0.5 }
            let padY = (d - c) * 0.05, padX = (b - a) * 0.02
            (x0, x1, y0, y1) = (a - padX, b + padX, c - padY, d + padY)
        }

        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom) }

        func open(title: String, xLabel: String, yLabel: String) -> String {
            var s = String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n", width, height, width, height)
            s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            s += String(format: "<text x=\"%.0f\" y=\"18\" font-size=\"14\" text-anchor=\"middle\">%@</text>\n", (left + width - right) / 2, SVGPlot.escape(title))
            let axisY = height - bottom
            s += String(format: "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>", left, axisY, width - right, axisY)
            s += String(format: "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n", left, top, left, axisY)
            for t in Self.ticks(x0, x1) {
                s += String(format: "<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"middle\">%@</text>", px(t), axisY + 14, Self.label(t))
            }
            for t in Self.ticks(y0, y1) {
                s += String(format: "<text x=\"%.0f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%@</text>", left - 4, py(t) + 3, Self.label(t))
                s += String(format: "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, py(t), width - right, py(t))
            }
            s += String(format: "\n<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\">%@</text>\n", (left + width - right) / 2, height - 8, SVGPlot.escape(xLabel))
            s += String(format: "<text x=\"14\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.0f)\">%@</text>\n", (top + axisY) / 2, (top + axisY) / 2, SVGPlot.escape(yLabel))
            return s
        }

        static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
            let raw = (hi - lo) / 5
            let mag = pow(10, floor(log10(raw)))
            let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
            var t = (lo / step).rounded(.up) * step
            var out = [Double]()
            while t <= hi + 1e-9 * step { out.append(t); t += step }
            return out
        }

        static func label(_ v: Double) -> String {
            abs(v) >= 1000 ? String(format: "%.0f", v) : String(format: "%g", (v * 1000).rounded() / 1000)
        }
    }
}
