import Foundation

/// An axis-aligned box in SVG pixels (y grows downwards).
struct PlotRect: Equatable {
    var x, y, w, h: Double
    var maxX: Double { x + w }
    var maxY: Double { y + h }

    func intersection(_ o: PlotRect) -> Double {
        max(0, min(maxX, o.maxX) - max(x, o.x)) * max(0, min(maxY, o.maxY) - max(y, o.y))
    }
    func contains(_ px: Double, _ py: Double) -> Bool { px >= x && px <= maxX && py >= y && py <= maxY }
    func inset(_ d: Double) -> PlotRect { PlotRect(x: x + d, y: y + d, w: w - 2 * d, h: h - 2 * d) }
    /// Area of this box lying outside `bounds` (exactly 0 inside: w·h − intersection would leave rounding).
    func outside(_ bounds: PlotRect) -> Double {
        x >= bounds.x && y >= bounds.y && maxX <= bounds.maxX && maxY <= bounds.maxY ? 0 : w * h - intersection(bounds)
    }
    /// The point of the box nearest to (px, py).
    func nearest(to px: Double, _ py: Double) -> (x: Double, y: Double) { (min(max(px, x), maxX), min(max(py, y), maxY)) }
}

/// Greedy placement of point labels (the scatter's words) so that they do not cover each other
/// or other points. Each label tries positions on rings of growing distance around its point
/// (8 directions next to it, then 16 per ring further out) and takes the cheapest: overlap with
/// labels already placed and with points costs far more than distance, leaving the plot costs
/// most. Crowded points go first, while room is left near them. A label placed beyond the first
/// ring gets a leader line to its point.
enum LabelPlacer {
    struct Placement: Equatable {
        var box: PlotRect
        /// True when the box sits away from its point and needs a leader line.
        var moved: Bool
    }

    static let gaps: [Double] = [2, 9, 17, 26, 37, 50, 65, 82]

    /// Directions (degrees, counter-clockwise from "right", y up) next to the point, in the order
    /// a reader expects a label: upper right first.
    static let nearDirections: [Double] = [30, 0, -30, 150, 180, -150, 90, -90]

    static func place(anchors: [(x: Double, y: Double)], sizes: [(w: Double, h: Double)],
                      bounds: PlotRect, pointRadius: Double = 3) -> [Placement] {
        precondition(anchors.count == sizes.count, "one size per anchor")
        let n = anchors.count
        let dots = anchors.map { PlotRect(x: $0.x - pointRadius - 1, y: $0.y - pointRadius - 1, w: 2 * pointRadius + 2, h: 2 * pointRadius + 2) }
        // Crowded points first: count neighbours within a label's typical reach.
        let crowding = anchors.map { a in anchors.filter { hypot($0.x - a.x, $0.y - a.y) < 40 }.count }
        let order = (0..<n).sorted { crowding[$0] != crowding[$1] ? crowding[$0] > crowding[$1] : $0 < $1 }
        var placed = [Placement?](repeating: nil, count: n)
        var boxes = [PlotRect]()
        for i in order {
            let (ax, ay) = anchors[i], (w, h) = sizes[i]
            var best: (cost: Double, box: PlotRect, ring: Int)?
            for (ring, gap) in gaps.enumerated() {
                let directions = ring == 0 ? nearDirections : (0..<16).map { Double($0) * 22.5 }
                for (k, deg) in directions.enumerated() {
                    let t = deg * .pi / 180
                    let r = pointRadius + gap
                    let cx = ax + cos(t) * (r + w / 2), cy = ay - sin(t) * (r + h / 2)
                    let box = PlotRect(x: cx - w / 2, y: cy - h / 2, w: w, h: h)
                    var cost = gap + 0.3 * Double(k)
                    let out = box.outside(bounds)
                    if out > 0 { cost += 1e6 + out }
                    for b in boxes { let a = b.intersection(box); if a > 0 { cost += 1e4 + 10 * a } }
                    for (j, d) in dots.enumerated() where j != i { let a = d.intersection(box); if a > 0 { cost += 1e3 + 10 * a } }
                    if best == nil || cost < best!.cost { best = (cost, box, ring) }
                }
                // Nothing further out can beat a clean spot found on this ring.
                if let b = best, b.cost < 1e3 { break }
            }
            placed[i] = Placement(box: best!.box, moved: best!.ring > 0)
            boxes.append(best!.box)
        }
        return placed.map { $0! }
    }
}
