import Foundation

/// The one error type the tool shows to users: a single line that names the file (when there is one)
/// and the problem, so the command line can print it and exit non-zero without a stack trace.
public struct LyricsError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String?
    public let problem: String

    public init(file: String? = nil, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    /// One line whatever the problem quotes: a line break or other control character taken from
    /// the input (a word, a column name, a file name) is shown escaped, so the command line's
    /// `error: ...` stays one line (the fuzz targets of fuzz/ check every message for this).
    public var description: String {
        if let file { return "\(Self.oneLine(file)): \(Self.oneLine(problem))" }
        return Self.oneLine(problem)
    }

    /// `text` with control characters (tab aside) and Unicode line separators escaped as `\n`,
    /// `\r` or `\u{...}`.
    static func oneLine(_ text: String) -> String {
        func breaks(_ u: Unicode.Scalar) -> Bool {
            (u.value < 0x20 && u != "\t") || u.value == 0x7F || u.value == 0x85 || u.value == 0x2028 || u.value == 0x2029
        }
        guard text.unicodeScalars.contains(where: breaks) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            guard breaks(u) else { out.append(u); continue }
            let escaped = u == "\n" ? "\\n" : u == "\r" ? "\\r" : "\\u{\(String(u.value, radix: 16))}"
            out.append(contentsOf: escaped.unicodeScalars)
        }
        return String(out)
    }
}

extension LyricsError: LocalizedError {
    public var errorDescription: String? { description }
}
