import Foundation
import LyricsCore

/// What the originality figures need from an index of the training text (`OriginalityIndex`
/// conforms in the `lyrics` target; tests use hand-made fakes).
public protocol TrainingTextLookup {
    /// The longest run of consecutive `words` found inside one training line (0 when no run of
    /// the index's shortest searchable length is found).
    func longestSharedRun(_ words: [String]) -> Int
    /// Whether the line (normalised words) is exactly a training line.
    func isTrainingLine(_ words: [String]) -> Bool
}

/// Quality figures of a written text that need no model, as pure functions over normalised text
/// (lines separated by "\n", words by spaces). They catch what bits per character cannot: a
/// sampler stuck on one word, lines that never end or never stop, copied training lines.
///
/// Lines are the non-empty lines of the text. N-grams do not cross line ends.
public enum SampleMetrics {
    /// The non-empty lines of a normalised text, each as its words.
    public static func lines(_ text: String) -> [[Substring]] {
        text.split(separator: "\n").map { $0.split(separator: " ") }.filter { !$0.isEmpty }
    }

    /// Mean words per non-empty line (0 for no line).
    public static func wordsPerLine(_ lines: [[Substring]]) -> Double {
        lines.isEmpty ? 0 : Double(lines.reduce(0) { $0 + $1.count }) / Double(lines.count)
    }

    /// distinct-n (Li et al. 2016): distinct word n-grams / all word n-grams, n-grams inside one
    /// line. nil when the text has no n-gram.
    public static func distinct(_ lines: [[Substring]], n: Int) -> Double? {
        precondition(n >= 1)
        var seen = Set<[Substring]>(), total = 0
        for line in lines where line.count >= n {
            for i in 0...(line.count - n) {
                seen.insert(Array(line[i..<(i + n)]))
                total += 1
            }
        }
        return total == 0 ? nil : Double(seen.count) / Double(total)
    }

    /// Share of lines that repeat an earlier line of the same text word for word (the first
    /// occurrence is not counted: "a / a / b" repeats one line of three).
    public static func repeatedLineShare(_ lines: [[Substring]]) -> Double {
        guard !lines.isEmpty else { return 0 }
        var seen = Set<[Substring]>(), repeats = 0
        for line in lines where !seen.insert(line).inserted { repeats += 1 }
        return Double(repeats) / Double(lines.count)
    }

    /// Whether some word occurs more than `limit` times in the line.
    public static func repeatsWord(_ line: [Substring], moreThan limit: Int = 2) -> Bool {
        var counts = [Substring: Int]()
        for w in line {
            counts[w, default: 0] += 1
            if counts[w]! > limit { return true }
        }
        return false
    }

    /// Share of lines in which one word occurs more than twice ("love love love me").
    public static func repeatedWordLineShare(_ lines: [[Substring]]) -> Double {
        lines.isEmpty ? 0 : Double(lines.filter { repeatsWord($0) }.count) / Double(lines.count)
    }

    /// The longest run of words any line shares with the training text, and the share of lines
    /// that are exactly training lines.
    public static func originality(_ lines: [[Substring]], index: any TrainingTextLookup) -> (longestRun: Int, trainingLineShare: Double) {
        guard !lines.isEmpty else { return (0, 0) }
        var longest = 0, exact = 0
        for line in lines {
            let words = line.map(String.init)
            longest = max(longest, index.longestSharedRun(words))
            if index.isTrainingLine(words) { exact += 1 }
        }
        return (longest, Double(exact) / Double(lines.count))
    }
}

/// The figures of one text: a model's samples at one temperature (and retrieval rule), or the
/// real held-out lines they are measured against (`temperature` nil).
public struct SampleQuality: Codable, Equatable, Sendable {
    /// "held-out" for the real lines, else "samples".
    public var source: String
    public var temperature: Double?
    /// Word models: the retrieval rule that wrote the samples.
    public var retrieval: String?
    /// Non-empty lines (an empty line, a newline right after a newline, is no line of text).
    public var lines: Int
    public var wordsPerLine: Double
    public var distinct1: Double?
    public var distinct2: Double?
    public var repeatedLineShare: Double
    /// Share of lines in which one word occurs more than twice.
    public var repeatedWordLineShare: Double
    /// Bits per character the independent judge char model gives the text (nil without --judge).
    public var judgeBitsPerCharacter: Double?
    /// Longest run of words shared with the training text (runs under 3 words count as 0).
    public var longestTrainingRun: Int?
    /// Share of lines that are exact training lines.
    public var trainingLineShare: Double?

    /// The model-free figures of `text` (normalised).
    public init(text: String, source: String, temperature: Double? = nil, retrieval: String? = nil,
                judgeBitsPerCharacter: Double? = nil, index: (any TrainingTextLookup)? = nil) {
        let l = SampleMetrics.lines(text)
        self.source = source
        self.temperature = temperature
        self.retrieval = retrieval
        lines = l.count
        wordsPerLine = SampleMetrics.wordsPerLine(l)
        distinct1 = SampleMetrics.distinct(l, n: 1)
        distinct2 = SampleMetrics.distinct(l, n: 2)
        repeatedLineShare = SampleMetrics.repeatedLineShare(l)
        repeatedWordLineShare = SampleMetrics.repeatedWordLineShare(l)
        self.judgeBitsPerCharacter = judgeBitsPerCharacter
        if let index {
            let o = SampleMetrics.originality(l, index: index)
            longestTrainingRun = o.longestRun
            trainingLineShare = o.trainingLineShare
        }
    }
}
