import Foundation

/// The frame of a chart: margins measured from the text they hold, the plot area, both axes,
/// and the SVG for title, grid, axes, ticks and axis labels.
struct ChartFrame {
    let width, height: Double
    let plot: PlotRect
    let x, y: PlotAxis
    let title, xLabel, yLabel: String

    static let titleSize = 14.0, labelSize = 12.0, tickSize = 10.0

    /// - Parameters:
    ///   - reserveRight: room kept right of the plot (e.g. for a legend).
    ///   - margin: data margin of both axes; `zeroWithin`: see `PlotAxis`.
    init(width: Double, height: Double, points: [(x: Double, y: Double)], title: String, xLabel: String, yLabel: String,
         reserveRight: Double = 0, margin: Double = 0.04, zeroWithin: Double = 0.2) {
        self.width = width
        self.height = height
        let xs = points.map(\.x).filter(\.isFinite), ys = points.map(\.y).filter(\.isFinite)
        let top = title.isEmpty ? 10.0 : 30, bottom = 8 + Self.tickSize + 8 + Self.labelSize + 8
        let plotH = max(40, height - top - bottom)
        let y = PlotAxis(dataMin: ys.min() ?? 0, dataMax: ys.max() ?? 1, targetTicks: min(8, max(3, Int(plotH / 50))),
                         margin: margin, zeroWithin: zeroWithin)
        let tickW = y.ticks.map { PlotText.width(y.label($0), size: Self.tickSize) }.max() ?? 0
        let left = 6 + Self.labelSize + 8 + tickW + 6
        // An x tick label may be centred on the plot's right edge: keep room for half of it.
        let xGuess = PlotAxis(dataMin: xs.min() ?? 0, dataMax: xs.max() ?? 1, margin: margin, zeroWithin: zeroWithin)
        let halfTick = (xGuess.ticks.map { PlotText.width(xGuess.label($0), size: Self.tickSize) }.max() ?? 0) / 2
        let right = max(14, halfTick + 4) + reserveRight
        let plotW = max(40, width - left - right)
        // Fewer x ticks until their labels have room between them.
        var x = PlotAxis(dataMin: xs.min() ?? 0, dataMax: xs.max() ?? 1, targetTicks: 2, margin: margin, zeroWithin: zeroWithin)
        for target in stride(from: min(10, max(2, Int(plotW / 70))), through: 2, by: -1) {
            let a = PlotAxis(dataMin: xs.min() ?? 0, dataMax: xs.max() ?? 1, targetTicks: target, margin: margin, zeroWithin: zeroWithin)
            let widest = a.ticks.map { PlotText.width(a.label($0), size: Self.tickSize) }.max() ?? 0
            if widest + 12 <= a.step / (a.hi - a.lo) * plotW { x = a; break }
        }
        self.x = x
        self.y = y
        plot = PlotRect(x: left, y: top, w: plotW, h: plotH)
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    func px(_ v: Double) -> Double { x.map(v, from: plot.x, to: plot.maxX) }
    func py(_ v: Double) -> Double { y.map(v, from: plot.maxY, to: plot.y) }

    /// `<svg>` opening, background, title, grid, axes, ticks and axis labels.
    func open() -> String {
        var s = String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n", width, height, width, height)
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        if !title.isEmpty {
            // Centred over the plot when it fits there, else over the whole canvas.
            let t = PlotText.shorten(title, toWidth: width - 12, size: Self.titleSize)
            let tw = PlotText.width(t, size: Self.titleSize)
            let cx = min(max(plot.x + plot.w / 2, tw / 2 + 6), width - tw / 2 - 6)
            s += String(format: "<text x=\"%.1f\" y=\"20\" font-size=\"%.0f\" text-anchor=\"middle\">%@</text>\n", cx, Self.titleSize, PlotText.escape(t))
        }
        for t in y.ticks {
            let v = py(t)
            s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>", plot.x, v, plot.maxX, v)
            s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>", plot.x - 4, v, plot.x, v)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"end\">%@</text>\n", plot.x - 6, v + 3.5, Self.tickSize, y.label(t))
        }
        for t in x.ticks {
            let v = px(t)
            s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>", v, plot.y, v, plot.maxY)
            s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>", v, plot.maxY, v, plot.maxY + 4)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\">%@</text>\n", v, plot.maxY + 6 + Self.tickSize, Self.tickSize, x.label(t))
        }
        s += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>\n", plot.x, plot.y, plot.w, plot.h)
        let xl = PlotText.shorten(xLabel, toWidth: plot.w, size: Self.labelSize)
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\">%@</text>\n", plot.x + plot.w / 2, height - 8, Self.labelSize, PlotText.escape(xl))
        let yl = PlotText.shorten(yLabel, toWidth: plot.h, size: Self.labelSize)
        let (lx, ly) = (6 + Self.labelSize * 0.9, plot.y + plot.h / 2)
        s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">%@</text>\n", lx, ly, Self.labelSize, lx, ly, PlotText.escape(yl))
        return s
    }
}
