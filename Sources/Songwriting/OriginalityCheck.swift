import LyricsCore

/// What the originality check found for one line of generated text.
public struct LineReport: Codable, Sendable, Equatable {
    /// A training line: its 1-based number in the normalised training text and its text.
    public struct Source: Codable, Sendable, Equatable {
        public var line: Int
        public var text: String
    }

    /// A run of words shared with the training text: where it starts in the checked line (0-based
    /// word index), how many words, the words, and the first training line that has it.
    public struct Run: Codable, Sendable, Equatable {
        public var start: Int
        public var length: Int
        public var words: String
        public var source: Source
    }

    /// 1-based line number in the checked text, and the line after normalisation.
    public var lineNumber: Int
    public var line: String
    /// The training line this line is an exact copy of, if any.
    public var exactCopy: Source?
    /// Maximal shared runs of at least the minimum length (none contains another).
    public var runs: [Run]

    /// Words in the longest shared run (0 if none reached the minimum).
    public var longestRun: Int { runs.map(\.length).max() ?? 0 }
    public var isFlagged: Bool { exactCopy != nil || !runs.isEmpty }
}

/// Figures over a whole checked text.
public struct OriginalitySummary: Codable, Sendable, Equatable {
    public var lines = 0, exactCopies = 0, linesWithRuns = 0, longestRun = 0, minRun = 0
    /// Share of checked lines that are exact training lines.
    public var exactShare: Double { lines == 0 ? 0 : Double(exactCopies) / Double(lines) }

    public init(_ reports: [LineReport], minRun: Int) {
        self.minRun = minRun
        lines = reports.count
        exactCopies = reports.filter { $0.exactCopy != nil }.count
        linesWithRuns = reports.filter { !$0.runs.isEmpty }.count
        longestRun = reports.map(\.longestRun).max() ?? 0
    }
}

extension OriginalityIndex {
    public static let defaultMinRun = 6

    /// Checks lines of text (each normalised; lines empty after normalisation are skipped but
    /// keep their place in the numbering).
    public func check(lines: [String], minRun: Int = defaultMinRun) -> [LineReport] {
        var reports = [LineReport]()
        for (k, raw) in lines.enumerated() {
            let words = TextNormalizer.normalize(raw).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
            if words.isEmpty { continue }
            reports.append(check(words: words, lineNumber: k + 1, minRun: minRun))
        }
        return reports
    }

    /// Checks one line given as normalised words.
    public func check(words: [String], lineNumber: Int = 1, minRun: Int = defaultMinRun) -> LineReport {
        let q = ids(of: words)
        let exact = exactLine(q).map { LineReport.Source(line: $0 + 1, text: lineText($0)) }
        var runs = [LineReport.Run]()
        var coveredUntil = 0
        for i in 0..<q.count {
            guard let m = longestMatch(q, at: i, minRun: max(minRun, Self.gram)), i + m.length > coveredUntil else { continue }
            coveredUntil = i + m.length
            let source = line(containing: m.position)
            runs.append(LineReport.Run(start: i, length: m.length, words: words[i..<(i + m.length)].joined(separator: " "),
                                       source: LineReport.Source(line: source + 1, text: lineText(source))))
        }
        return LineReport(lineNumber: lineNumber, line: words.joined(separator: " "), exactCopy: exact, runs: runs)
    }

    /// The longest run of `words` (normalised) found in one training line, for filtering
    /// candidates during generation: a few hash probes per word, microseconds. Runs shorter
    /// than `gram` words are not searched (the result is then 0).
    public func longestSharedRun(_ words: [String]) -> Int {
        let q = ids(of: words)
        var best = 0
        for i in 0..<q.count {
            if let m = longestMatch(q, at: i, minRun: Self.gram), m.length > best { best = m.length }
        }
        return best
    }

    /// Whether this exact word sequence (at least `gram` words) occurs inside a training line:
    /// the test for "the line's last N words copy the training text".
    public func occurs<C: Collection>(_ words: C) -> Bool where C.Element == String {
        let q = ids(of: words)
        return q.count >= Self.gram && longestMatch(q, at: 0, minRun: q.count) != nil
    }

    /// Whether a line (normalised words) is exactly a training line.
    public func isTrainingLine(_ words: [String]) -> Bool { exactLine(ids(of: words)) != nil }
}
