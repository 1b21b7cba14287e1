import Foundation
import Generation
import Hummingbird
import Songwriting

/// The studio's fields of a request, beside the generation fields (`GenerateRequest`, decoded
/// from the same body, so sampling, the song's spec, their bounds and the theme
/// are shared with /api/generate). The server keeps no song: `song` is the draft, written lines
/// per stanza of the spec's plan; `stanza` and `line` (0-based) name the line the action is for.
struct StudioFields: Decodable, Sendable {
    var song: [[String]] = []
    var stanza = 0
    var line = 0
    /// alternatives: the line's beginning that every candidate keeps.
    var start = ""
    /// next-words and rhymes: the line up to the cursor (rhymes: before the rhyming word).
    var text = ""
    /// rhymes: the word to rhyme with (the page sends a chosen line's last word).
    var word: String?
    var count: Int?

    static let maxLineCharacters = 300
    static let alternativeCount = (default: 5, range: 1...20)
    static let nextWordCount = (default: 10, range: 1...50)
    static let rhymeCount = (default: 20, range: 1...100)

    enum CodingKeys: String, CodingKey { case song, stanza, line, start, text, word, count }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        song = try c.decodeIfPresent([[String]].self, forKey: .song) ?? []
        stanza = try c.decodeIfPresent(Int.self, forKey: .stanza) ?? 0
        line = try c.decodeIfPresent(Int.self, forKey: .line) ?? 0
        start = try c.decodeIfPresent(String.self, forKey: .start) ?? ""
        text = try c.decodeIfPresent(String.self, forKey: .text) ?? ""
        word = try c.decodeIfPresent(String.self, forKey: .word)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
    }

    /// The first problem with the draft (sizes), naming the field; nil when it is usable.
    func draftProblem() -> String? {
        let total = song.reduce(0) { $0 + $1.count }
        if song.count > SongSpec.maxLines || total > SongSpec.maxLines {
            return "song: \(total) lines in \(song.count) stanzas; at most \(SongSpec.maxLines) lines"
        }
        for (s, lines) in song.enumerated() {
            for (k, l) in lines.enumerated() where l.count > Self.maxLineCharacters {
                return "song[\(s)][\(k)]: line is \(l.count) characters; at most \(Self.maxLineCharacters)"
            }
        }
        for (name, value) in [("start", start), ("text", text), ("word", word ?? "")] where value.count > Self.maxLineCharacters {
            return "\(name): \(value.count) characters; at most \(Self.maxLineCharacters)"
        }
        return nil
    }

    /// The problem with `stanza`/`line` as a line to write in `draft`'s plan (a repeated chorus
    /// is written where it first comes).
    func positionProblem(in draft: SongDraft) -> String? {
        let plan = draft.plan
        guard (0..<plan.count).contains(stanza) else {
            return "stanza: \(stanza) is not a stanza of this song (0 to \(plan.count - 1); set structure or lines for more)"
        }
        if let r = plan[stanza].repeats {
            return "stanza: \(stanza) repeats stanza \(r) (\(plan[stanza].part ?? "chorus")); write that one"
        }
        guard (0..<plan[stanza].lines).contains(line) else {
            return "line: \(line) is not a line of stanza \(stanza) (0 to \(plan[stanza].lines - 1))"
        }
        return nil
    }

    /// `count`, or the action's default; a problem naming the field when out of range.
    func count(_ bounds: (default: Int, range: ClosedRange<Int>)) throws -> Int {
        let n = count ?? bounds.default
        guard bounds.range.contains(n) else {
            throw HTTPError(.badRequest, message: "count must be between \(bounds.range.lowerBound) and \(bounds.range.upperBound)")
        }
        return n
    }
}

/// What /api/studio/alternatives answers: the line's goal and the candidates, best first.
struct AlternativesResponse: Codable, Sendable {
    var model: String
    var seed: UInt64
    var goal: LineGoalSummary
    var candidates: [CandidateLine]
}

/// What /api/studio/next-words answers.
struct NextWordsResponse: Codable, Sendable {
    var model: String
    var kind: ModelKind
    var tokens: [NextToken]
    /// The probability that the line ends here.
    var endOfLine: Double
}

/// What /api/studio/rhymes answers.
struct RhymesResponse: Codable, Sendable {
    var model: String
    var word: String
    var rhymes: [RhymeOption]
}

/// What /api/studio/analyze answers: the song's plan and every line analysed.
struct AnalyzeResponse: Codable, Sendable {
    struct Stanza: Codable, Sendable {
        var part: String?
        var label: String?
        var lines: Int
        var repeats: Int?
    }
    var stanzas: [Stanza]
    var lines: [[LineAnalysis]]
}
