import Foundation
import LyricsCore

/// How well written stanzas keep a form, measured on their text alone (so any text, constrained
/// or not, can be scored the same way): the share of the line pairs a scheme asks to rhyme that
/// rhyme (dictionary + fallback, `Pronunciations.rhymes`), the share of lines with exactly the
/// asked syllables, and the mean rhyme density (`RhymeDensity`) of the stanzas.
public struct SongMetrics: Codable, Sendable, Equatable {
    public var stanzas = 0
    public var lines = 0
    public var rhymePairs = 0
    public var rhymingPairs = 0
    public var syllableLines = 0
    public var exactSyllableLines = 0
    public var rhymeDensity = 0.0
    /// Lines flagged by the originality check (nil without an index).
    public var copiedLines: Int?

    public var rhymeAccuracy: Double { rhymePairs == 0 ? 0 : Double(rhymingPairs) / Double(rhymePairs) }
    public var syllableAccuracy: Double { syllableLines == 0 ? 0 : Double(exactSyllableLines) / Double(syllableLines) }
    public var copyRate: Double? { copiedLines.map { lines == 0 ? 0 : Double($0) / Double(lines) } }

    public init() {}

    /// Scores stanzas (each a list of lines) against `scheme` (pairs: every line with the first
    /// line of its letter) and `syllables` (per line of a stanza, cycling); `index` counts lines
    /// that share `minRun` or more words in a row with the training text.
    public init(stanzas: [[String]], scheme: RhymeScheme, syllables: [Int], pronunciations: Pronunciations,
                index: OriginalityIndex? = nil, minRun: Int = OriginalityIndex.defaultMinRun) {
        var densitySum = 0.0
        var copied = 0
        for stanza in stanzas {
            self.stanzas += 1
            let ends = stanza.map { TextNormalizer.normalize($0).split(separator: " ").last.map(String.init) ?? "" }
            for (k, line) in stanza.enumerated() {
                lines += 1
                if let a = scheme.anchor(of: k) {
                    let anchor = k - k % scheme.stanzaLength + a
                    rhymePairs += 1
                    if pronunciations.rhymes(ends[anchor], ends[k]) { rhymingPairs += 1 }
                }
                if !syllables.isEmpty {
                    syllableLines += 1
                    if pronunciations.syllables(of: line) == syllables[k % syllables.count] { exactSyllableLines += 1 }
                }
            }
            densitySum += RhymeDensity.measure(text: stanza.joined(separator: "\n"), pronunciations: pronunciations).density
            if let index { copied += index.check(lines: stanza, minRun: minRun).filter(\.isFlagged).count }
        }
        rhymeDensity = stanzas.isEmpty ? 0 : densitySum / Double(stanzas.count)
        copiedLines = index == nil ? nil : copied
    }
}
