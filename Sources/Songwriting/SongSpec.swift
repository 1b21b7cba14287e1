import Foundation
import LyricsCore

/// A rhyme scheme such as AABB, ABAB, ABCB or AAAA: one letter per line of a stanza; lines with
/// the same letter rhyme with the first line of that letter. Case does not matter ("abab").
public struct RhymeScheme: Equatable, Sendable, CustomStringConvertible {
    /// Upper-case letters, one per line of a stanza.
    public let letters: [Character]

    public var description: String { String(letters) }
    public var stanzaLength: Int { letters.count }

    /// Parses a pattern of letters; anything else is an error naming the field.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw LyricsError("rhyme: empty scheme; give letters such as AABB or ABAB") }
        guard t.count <= SongSpec.maxStanzaLines else {
            throw LyricsError("rhyme: scheme '\(t)' has \(t.count) lines; at most \(SongSpec.maxStanzaLines) per stanza")
        }
        for c in t where !(c.isASCII && c.isLetter) {
            throw LyricsError("rhyme: unknown scheme character '\(c)' in '\(t)'; use letters only (e.g. AABB, ABAB, ABCB)")
        }
        letters = t.uppercased().map { $0 }
    }

    /// The line of the stanza that line `i` must rhyme with (the first line with its letter), or
    /// nil when `i` is the first of its letter.
    public func anchor(of i: Int) -> Int? {
        let l = letters[i % letters.count]
        let first = letters.firstIndex(of: l)!
        return first < i % letters.count ? first : nil
    }

    /// Whether some later line of the stanza rhymes with line `i` (so its last word must be one
    /// that has rhymes).
    public func hasPartner(_ i: Int) -> Bool {
        let k = i % letters.count
        return anchor(of: k) == nil && letters.filter { $0 == letters[k] }.count > 1
    }
}

/// What a song looks like: a rhyme scheme, syllables per line, parts in order (verse, chorus,
/// ...) with their lengths, and how much of the training text a line may copy. The command line
/// (`--rhyme`, `--syllables`, `--structure`, `--part-lines`, `--max-copy`) and the API (`rhyme`,
/// `syllables`, `structure`, `partLines`, `maxCopy`) parse into this one value.
public struct SongSpec: Equatable, Sendable {
    public var rhyme: RhymeScheme?
    /// Syllables per line, cycling over the lines of each stanza (one number: every line).
    public var syllables: [Int]?
    /// Stress patterns per line, cycling like `syllables` (which they imply when not given).
    public var meter: [MeterPattern]?
    /// Part names in order; nil: `lines` lines in stanzas of the scheme's length.
    public var structure: [String]?
    /// Lines of each part (parts not named here: the scheme's length, else 4).
    public var partLines: [String: Int] = [:]
    /// Lines to write when there is no structure.
    public var lines = 8
    /// Resample a line that copies this many words or more of the training text in a row.
    public var maxCopy: Int?
    /// Candidate lines tried at most per constrained line, and how many good ones end the search.
    public var candidates = 100
    /// Candidates the writer chooses among: a constrained line's search stops when this many
    /// meet the goal (default 8).
    public var enough = SongSpec.defaultChoose
    /// Candidates a line free of constraints is chosen among (nil: one sample, as plain
    /// generation: in the blind ratings, choosing free lines by likelihood read blander, not
    /// better; docs/ratings.md).
    public var choose: Int?
    /// What the song is about ("sea storm"): words near it are raised (see `Theme`; the writer
    /// needs the theme's word weights, which the caller builds from word vectors).
    public var theme: String?

    public static let defaultChoose = 8
    public static let chooseRange = 1...64

    public static let syllableRange = 1...30
    public static let maxStanzaLines = 32
    public static let maxLines = 200
    public static let candidateRange = 1...1_000
    /// Parts the structure may name; the ones in `repeatedParts` are written once and then
    /// repeated verbatim.
    public static let knownParts = ["intro", "verse", "prechorus", "chorus", "refrain", "hook", "bridge", "outro"]
    public static let repeatedParts: Set<String> = ["chorus", "refrain", "hook"]

    public init() {}

    /// Whether anything asks for the song writer rather than free generation.
    public var isActive: Bool { rhyme != nil || syllables != nil || meter != nil || structure != nil || maxCopy != nil || theme != nil }

    /// "8" or "8,6,8,6".
    public static func parseSyllables(_ text: String) throws -> [Int] {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == " " })
        guard !parts.isEmpty else { throw LyricsError("syllables: empty; give a number such as 8 or a list such as 8,6,8,6") }
        guard parts.count <= maxStanzaLines else { throw LyricsError("syllables: at most \(maxStanzaLines) numbers") }
        return try parts.map { p in
            guard let n = Int(p) else { throw LyricsError("syllables: '\(p)' is not a number") }
            guard syllableRange.contains(n) else {
                throw LyricsError("syllables: \(n) is out of range; give \(syllableRange.lowerBound) to \(syllableRange.upperBound) per line")
            }
            return n
        }
    }

    /// "verse chorus verse chorus bridge chorus" (spaces or commas; "pre-chorus" = prechorus).
    public static func parseStructure(_ text: String) throws -> [String] {
        let names = text.lowercased().split(whereSeparator: { $0 == "," || $0 == " " }).map { $0.replacingOccurrences(of: "-", with: "") }
        guard !names.isEmpty else { throw LyricsError("structure: empty; give parts such as \"verse chorus verse chorus\"") }
        guard names.count <= 40 else { throw LyricsError("structure: at most 40 parts") }
        for n in names where !knownParts.contains(n) {
            throw LyricsError("structure: unknown part '\(n)'; known parts: \(knownParts.joined(separator: ", "))")
        }
        return names
    }

    /// "verse=4,chorus=4,bridge=2".
    public static func parsePartLines(_ text: String) throws -> [String: Int] {
        var out = [String: Int]()
        for item in text.lowercased().split(whereSeparator: { $0 == "," || $0 == " " }) {
            let kv = item.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { throw LyricsError("part-lines: '\(item)' is not PART=LINES (e.g. verse=4,chorus=4)") }
            let name = kv[0].replacingOccurrences(of: "-", with: "")
            guard knownParts.contains(name) else {
                throw LyricsError("part-lines: unknown part '\(name)'; known parts: \(knownParts.joined(separator: ", "))")
            }
            guard let n = Int(kv[1]), (1...maxStanzaLines).contains(n) else {
                throw LyricsError("part-lines: \(name)=\(kv[1]) must be 1 to \(maxStanzaLines) lines")
            }
            out[name] = n
        }
        return out
    }

    /// Parses the text forms (nil or empty: not set). Errors name the field as both the command
    /// line and the API spell it ("rhyme: ...").
    public static func parse(rhyme: String?, syllables: String?, structure: String?, partLines: String?, lines: Int = 8,
                             maxCopy: Int?, candidates: Int = 100, meter: String? = nil, theme: String? = nil,
                             choose: Int? = nil) throws -> SongSpec {
        var s = SongSpec()
        if let r = rhyme, !r.isEmpty { s.rhyme = try RhymeScheme(parsing: r) }
        if let y = syllables, !y.isEmpty { s.syllables = try parseSyllables(y) }
        if let m = meter, !m.isEmpty {
            let patterns = try MeterPattern.parse(m, syllables: s.syllables)
            s.meter = patterns
            if s.syllables == nil { s.syllables = patterns.map(\.syllables) }
        }
        if let t = structure, !t.isEmpty { s.structure = try parseStructure(t) }
        if let p = partLines, !p.isEmpty {
            s.partLines = try parsePartLines(p)
            guard let parts = s.structure else { throw LyricsError("part-lines: needs a structure") }
            for name in s.partLines.keys.sorted() where !parts.contains(name) {
                throw LyricsError("part-lines: '\(name)' is not in the structure")
            }
        }
        s.lines = lines
        s.maxCopy = maxCopy
        s.candidates = candidates
        if let t = theme, !t.trimmingCharacters(in: .whitespaces).isEmpty {
            _ = try Theme.words(of: t)
            s.theme = t
        }
        if let c = choose { s.enough = c; s.choose = c }
        if let p = s.problem() { throw LyricsError(p) }
        return s
    }

    /// The first problem with the values, named as on the command line.
    public func problem() -> String? {
        if !(1...Self.maxLines).contains(lines) { return "lines: must be 1 to \(Self.maxLines) for a song" }
        if let m = maxCopy, !(OriginalityIndex.gram...50).contains(m) { return "max-copy: must be \(OriginalityIndex.gram) to 50 words" }
        if !Self.candidateRange.contains(candidates) { return "candidates: must be 1 to \(Self.candidateRange.upperBound)" }
        if !Self.chooseRange.contains(enough) { return "choose: must be 1 to \(Self.chooseRange.upperBound)" }
        if let y = syllables, let bad = y.first(where: { !Self.syllableRange.contains($0) }) {
            return "syllables: \(bad) is out of range; give \(Self.syllableRange.lowerBound) to \(Self.syllableRange.upperBound) per line"
        }
        if stanzas().reduce(0, { $0 + $1.lines }) > Self.maxLines { return "structure: more than \(Self.maxLines) lines in all" }
        return nil
    }

    /// One stanza of the song: its part (nil without a structure), its lines, and the earlier
    /// stanza it repeats verbatim (a chorus after the first).
    public struct Stanza: Equatable, Sendable {
        public var part: String?
        public var lines: Int
        public var repeats: Int?
    }

    /// The stanzas in order: the structure's parts, else `lines` in stanzas of the scheme's
    /// length (one stanza without a scheme).
    public func stanzas() -> [Stanza] {
        if let structure {
            var firstOf = [String: Int]()
            return structure.enumerated().map { i, name in
                let n = partLines[name] ?? rhyme?.stanzaLength ?? 4
                let rep = Self.repeatedParts.contains(name) ? firstOf[name] : nil
                if firstOf[name] == nil { firstOf[name] = i }
                return Stanza(part: name, lines: n, repeats: rep)
            }
        }
        let size = rhyme?.stanzaLength ?? lines
        return stride(from: 0, to: lines, by: size).map { Stanza(part: nil, lines: min(size, lines - $0), repeats: nil) }
    }

    /// Syllables asked for line `i` of a stanza.
    public func syllables(forLine i: Int) -> Int? {
        syllables.map { $0[i % $0.count] }
    }

    /// Stress pattern asked for line `i` of a stanza.
    public func meter(forLine i: Int) -> MeterPattern? {
        meter.map { $0[i % $0.count] }
    }
}
