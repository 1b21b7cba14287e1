import Foundation

/// Text measurement for SVG charts, which cannot ask the browser how wide a string will be.
///
/// Widths are per-character advances in thousandths of the font size, the larger of DejaVu Sans
/// and Liberation Sans (Arial's metrics) for each printable ASCII character, as Chromium measures
/// them (`scripts/fixtures/plot-font-widths.sh` prints the table). `sans-serif` resolves to one of these or
/// to Helvetica/Arial (narrower than DejaVu) almost everywhere, so a string measured here does not
/// overrun the room laid out for it.
enum PlotText {
    /// Advances for U+0020 ... U+007E, then the ellipsis U+2026.
    static let advances: [UInt16] = [
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
        636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 556,
        1015, 684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667, 557, 863, 748, 787,
        667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390, 337, 390, 838, 556,
        500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
        635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, 1000,
    ]
    static let ellipsis = "\u{2026}"

    /// Width in pixels of `s` set at `size` pixels; characters outside the table count as wide (1 em).
    static func width(_ s: String, size: Double) -> Double {
        var total = 0
        for u in s.unicodeScalars {
            switch u.value {
            case 0x20...0x7E: total += Int(advances[Int(u.value) - 0x20])
            case 0x2026: total += Int(advances[95])
            default: total += 1000
            }
        }
        return Double(total) * size / 1000
    }

    /// Labels no wider than `maxWidth`. When one is too wide, path-like words in all of them
    /// lose their folders and file extensions ("runs/a/word-vmf.safetensors" → "word-vmf"), so a
    /// legend stays uniform; a label still too wide gives up its middle to an ellipsis, keeping
    /// its start and end, which tell labels apart.
    static func shorten(_ labels: [String], toWidth maxWidth: Double, size: Double) -> [String] {
        let trimmed = labels.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if trimmed.allSatisfy({ width($0, size: size) <= maxWidth }) { return trimmed }
        return trimmed.map { middleEllipsis(withoutPaths($0), toWidth: maxWidth, size: size) }
    }

    static func shorten(_ s: String, toWidth maxWidth: Double, size: Double) -> String {
        shorten([s], toWidth: maxWidth, size: size)[0]
    }

    /// Path-like words reduced to file stems, keeping brackets around them: "(runs/x.bin)" → "(x)".
    static func withoutPaths(_ s: String) -> String {
        s.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let w = String(word)
            let open = w.prefix { "([{".contains($0) }, close = String(w.reversed().prefix { ")]},;:".contains($0) }.reversed())
            let core = String(w.dropFirst(open.count).dropLast(close.count))
            let ext = (core as NSString).pathExtension
            let isPath = core.contains("/") || (ext.count >= 2 && ext.allSatisfy(\.isLetter))
            return isPath && !core.isEmpty ? open + fileStem(core) + close : w
        }.joined(separator: " ")
    }

    static func middleEllipsis(_ s: String, toWidth maxWidth: Double, size: Double) -> String {
        if width(s, size: size) <= maxWidth { return s }
        let chars = Array(s)
        var keep = chars.count - 1
        while keep > 1 {
            let head = String(chars.prefix((keep + 1) / 2)), tail = String(chars.suffix(keep / 2))
            let candidate = head.trimmingCharacters(in: .whitespaces) + ellipsis + tail.trimmingCharacters(in: .whitespaces)
            if width(candidate, size: size) <= maxWidth { return candidate }
            keep -= 1
        }
        return String(chars.prefix(1)) + ellipsis
    }

    /// "runs/long2/word-vmf.safetensors" → "word-vmf"; a name with no extension keeps its name.
    static func fileStem(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        return stem.isEmpty ? name : stem
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
