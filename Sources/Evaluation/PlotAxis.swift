import Foundation

/// One axis of a chart: the drawn range and tick marks at round values.
///
/// Ticks step by 1, 2 or 5 times a power of ten (Heckbert, "Nice numbers for graph labels",
/// Graphics Gems, 1990), so a reader can interpolate between them; of those steps the one giving
/// the tick count nearest the target wins. Unlike Heckbert's "loose" labelling the range is not
/// widened to whole steps: it is the data plus a small margin, so curves fill the plot. A range
/// that starts (or ends) close to zero is pinned to zero, since losses and steps read best from 0.
struct PlotAxis: Equatable {
    let lo: Double
    let hi: Double
    let step: Double
    let ticks: [Double]
    /// Digits after the decimal point every tick label shows: the step's precision.
    let decimals: Int

    /// - Parameters:
    ///   - margin: fraction of the data's span added on each side that is not pinned to zero.
    ///   - zeroWithin: pin to zero when the data's nearest end is within this fraction of its span.
    init(dataMin: Double, dataMax: Double, targetTicks: Int = 5, margin: Double = 0.04, zeroWithin: Double = 0.2) {
        var a = dataMin.isFinite ? dataMin : 0, b = dataMax.isFinite ? dataMax : 1
        if a > b { swap(&a, &b) }
        if b - a <= 1e-12 * max(1, abs(a), abs(b)) {
            // One value: centre it in a window of ±10% of its size (±1 around zero).
            let d = a == 0 ? 1 : abs(a) * 0.1
            a -= d
            b += d
        }
        let span = b - a
        let pinLo = a > 0 && a <= zeroWithin * span, pinHi = b < 0 && -b <= zeroWithin * span
        if pinLo { a = 0 }
        if pinHi { b = 0 }
        let pad = margin * (b - a)
        lo = pinLo ? 0 : a - pad
        hi = pinHi ? 0 : b + pad
        let step = Self.niceStep(lo: lo, hi: hi, target: max(2, targetTicks))
        let first = Int((lo / step - 1e-9).rounded(.up)), last = Int((hi / step + 1e-9).rounded(.down))
        ticks = first <= last ? (first...last).map { Double($0) * step } : []
        self.step = step
        decimals = max(0, -Int((log10(step) + 1e-9).rounded(.down)))
    }

    /// Heckbert's nice number: 1, 2, 5 or 10 times a power of ten near `x` (rounded to the nearest
    /// when `round`, else the smallest one at least `x`).
    static func niceNumber(_ x: Double, round: Bool) -> Double {
        let e = (log10(x)).rounded(.down), f = x / pow(10, e)
        let nf: Double
        if round { nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10 } else { nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10 }
        return nf * pow(10, e)
    }

    /// The 1-2-5 step whose ticks inside lo...hi number closest to `target` (the larger step on a tie).
    static func niceStep(lo: Double, hi: Double, target: Int) -> Double {
        let guess = niceNumber((hi - lo) / Double(target - 1), round: true)
        var best = guess, bestMiss = Int.max
        for scale in [0.1, 0.2, 0.5, 1, 2, 5, 10] {
            let step = niceNumber(guess * scale, round: true)
            let count = Int((hi / step + 1e-9).rounded(.down)) - Int((lo / step - 1e-9).rounded(.up)) + 1
            let miss = abs(count - target)
            if miss < bestMiss || (miss == bestMiss && step > best) { (best, bestMiss) = (step, miss) }
        }
        return best
    }

    /// The tick label: the step's precision, and never "-0".
    func label(_ v: Double) -> String {
        let s = String(format: "%.\(decimals)f", v)
        return Double(s) == 0 ? (decimals == 0 ? "0" : String(format: "%.\(decimals)f", 0.0)) : s
    }

    /// Maps a value to pixels so that `lo` lands on `from` and `hi` on `to`.
    func map(_ v: Double, from: Double, to: Double) -> Double { from + (v - lo) / (hi - lo) * (to - from) }
}
