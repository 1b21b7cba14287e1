import Foundation
import LyricsCore

/// What one line must do: end on a word that rhymes with `rhymeWith` (not a word in `usedEnds`),
/// or on a word later lines can rhyme with (`rhymable`); have exactly `syllables`; not copy
/// `maxCopy` words of the training text in a row; not repeat an earlier line.
struct LineGoal {
    var syllables: Int?
    /// Stresses the line must follow (its syllables are `syllables`).
    var meter: MeterPattern?
    var rhymeWith: String?
    var usedEnds: Set<String> = []
    var rhymable = false
    var maxCopy: Int?
    var avoid: Set<String> = []
    /// Word models without a syllable count: the line's length in words, drawn per candidate
    /// from free samples, so the last word can be drawn among the rhyming ones.
    var words: Int?

    var needsEnd: Bool { rhymeWith != nil || rhymable || !usedEnds.isEmpty }

    var isFree: Bool { syllables == nil && meter == nil && rhymeWith == nil && !rhymable && maxCopy == nil }

    /// The goal of line `k` of a stanza of `stanzaLines` lines whose lines above it are `above`
    /// (texts; blank ones allowed), with `avoid` the song's other lines: the one rule the song
    /// writer and the co-writing studio share. Rhyme with the anchor line's last word and end on
    /// no word an earlier line of that letter ends on, or end on a rhymable word when a later
    /// line rhymes with this one; the syllables and meter of line k; the copy cap.
    static func forLine(_ k: Int, stanzaLines: Int, above: [String], spec: SongSpec, avoid: Set<String>) -> LineGoal {
        var goal = LineGoal(syllables: spec.syllables(forLine: k), meter: spec.meter(forLine: k), maxCopy: spec.maxCopy)
        if let scheme = spec.rhyme {
            let letter = scheme.letters[k % scheme.stanzaLength]
            if let a = scheme.anchor(of: k), a < min(k, above.count) {
                if let end = lastWord(above[a]) {
                    goal.rhymeWith = end
                    for j in 0..<min(k, above.count) where scheme.letters[j % scheme.stanzaLength] == letter {
                        if let w = lastWord(above[j]) { goal.usedEnds.insert(w) }
                    }
                }
            } else if scheme.anchor(of: k) == nil, scheme.hasPartner(k), k + 1 < stanzaLines {
                goal.rhymable = true
            }
        }
        goal.avoid = avoid
        return goal
    }

    static func words(_ line: String) -> [String] {
        TextNormalizer.normalize(line).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    static func lastWord(_ line: String) -> String? { words(line).last }
}
