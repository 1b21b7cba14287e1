import Foundation
import LyricsCore

/// One written line and what the constraints made of it: the word that carries its rhyme, the
/// line it rhymes with, its syllables, any constraint it missed (best effort), the training line
/// it copies (when an originality index was given), and whether it repeats a chorus line.
public struct SongLine: Codable, Sendable, Equatable {
    public var text: String
    /// 0-based stanza and the stanza's part ("verse", "chorus", ...; nil without a structure).
    public var stanza: Int
    public var part: String?
    /// The scheme's letter for this line (nil without a scheme).
    public var letter: String?
    /// The last word, when the line is part of a rhyme pair (anchor or partner).
    public var rhymeWord: String?
    /// 0-based index (in the song's lines) of the line this one must rhyme with.
    public var rhymesWith: Int?
    /// Whether it does (nil when it has no partner line before it).
    public var rhymes: Bool?
    public var syllables: Int
    public var targetSyllables: Int?
    /// Constraints this line missed (empty when it met all of them).
    public var missed: [String] = []
    /// 0-based index of the line it repeats verbatim (a chorus written earlier).
    public var repeatOf: Int?
    /// Which model wrote it (0 = the first; blends alternate).
    public var author = 0
    /// Candidate lines sampled for it (0 for a repeat).
    public var candidates = 0
    /// Mean natural log-probability per character the writing model gave the line (newline
    /// included); nil for a repeat.
    public var logProbPerChar: Double?
    /// The originality check of the line, when it shares a run of words with the training text.
    public var copied: LineReport?

    public init(text: String, stanza: Int = 0, part: String? = nil, syllables: Int = 0, targetSyllables: Int? = nil) {
        self.text = text
        self.stanza = stanza
        self.part = part
        self.syllables = syllables
        self.targetSyllables = targetSyllables
    }
}

/// A written song: context lines from the prompt, then the lines in stanzas, and notes about
/// constraints missed (one per line that missed).
public struct Song: Codable, Sendable, Equatable {
    /// Prompt lines before the first written line (printed first, outside the scheme).
    public var context: [String] = []
    public var lines: [SongLine] = []
    public var notes: [String] = []

    /// "[Verse]", "[Chorus]", "[Pre-Chorus]".
    public static func label(_ part: String) -> String {
        part == "prechorus" ? "[Pre-Chorus]" : "[\(part.prefix(1).uppercased() + part.dropFirst())]"
    }

    /// The song as text: context, then stanzas separated by a blank line, each with its part
    /// label on a line of its own when `labels` is set.
    public func text(labels: Bool = false) -> String {
        var out = context.map { $0 + "\n" }.joined()
        var stanza = -1
        for line in lines {
            if line.stanza != stanza {
                if stanza >= 0 { out += "\n" }
                stanza = line.stanza
                if labels, let p = line.part { out += Self.label(p) + "\n" }
            }
            out += line.text + "\n"
        }
        return out
    }

    /// Free text (written without a song spec) as a song of one stanza, its lines checked
    /// against the training text's index: copies flagged with their source.
    public init(checking text: String, index: OriginalityIndex, minRun: Int = OriginalityIndex.defaultMinRun) {
        let texts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines = texts.map { SongLine(text: $0) }
        for r in index.check(lines: texts, minRun: minRun) where r.isFlagged { lines[r.lineNumber - 1].copied = r }
    }

    public init() {}

    /// The copied lines as one line each for stderr: where they come from.
    public var copyReport: [String] {
        lines.enumerated().compactMap { i, l in
            guard let c = l.copied else { return nil }
            if let e = c.exactCopy { return "copied: line \(i + 1) \"\(l.text)\" is training line \(e.line)" }
            guard let run = c.runs.max(by: { $0.length < $1.length }) else { return nil }
            return "copied: line \(i + 1) \"\(l.text)\" shares \(run.length) words \"\(run.words)\" with training line \(run.source.line): \"\(run.source.text)\""
        }
    }
}
