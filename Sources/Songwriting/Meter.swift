import Foundation
import LyricsCore

/// A line's meter: the stress each syllable should carry, 0 (unstressed) or 1 (stressed), e.g.
/// iambic tetrameter 01010101. Words are read by their CMU dictionary stress digits: in a word of
/// several syllables primary stress (1) is stressed, no stress (0) unstressed and secondary
/// stress (2) may be either; a word of one syllable may be either (English verse stresses "the"
/// and "night" by their place in the line, not by the dictionary), so meter constrains where the
/// longer words fall, which is what a reader hears as rhythm.
public struct MeterPattern: Equatable, Sendable, CustomStringConvertible {
    /// 0 or 1 per syllable.
    public let stresses: [UInt8]

    public init(stresses: [UInt8]) {
        precondition(!stresses.isEmpty && stresses.allSatisfy { $0 <= 1 })
        self.stresses = stresses
    }

    public var syllables: Int { stresses.count }
    public var description: String { String(stresses.map { Character(String($0)) }) }

    /// The named feet and the syllables a named meter has when no count is given (tetrameter).
    public static let feet: [String: [UInt8]] = ["iambic": [0, 1], "trochaic": [1, 0], "anapestic": [0, 0, 1], "dactylic": [1, 0, 0]]
    public static let defaultSyllables = 8

    /// Parses `--meter`: a named meter ("iambic", "trochaic", "anapestic", "dactylic"), cut to
    /// each line's `syllables` (one count or one per line; default 8), or explicit patterns of 0s
    /// and 1s, one for every line or one per line separated by commas ("0101010,01010101"),
    /// which must agree with `syllables` when both are given. Returns one pattern per line of
    /// the stanza's cycle.
    public static func parse(_ spec: String, syllables: [Int]? = nil) throws -> [MeterPattern] {
        let s = spec.trimmingCharacters(in: .whitespaces).lowercased()
        if let foot = feet[s] {
            return (syllables ?? [defaultSyllables]).map { n in
                MeterPattern(stresses: (0..<n).map { foot[$0 % foot.count] })
            }
        }
        let parts = s.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var patterns = [MeterPattern]()
        for p in parts {
            guard !p.isEmpty, p.allSatisfy({ $0 == "0" || $0 == "1" }) else {
                throw LyricsError("meter: '\(spec)' is not a meter: use iambic, trochaic, anapestic, dactylic, or 0/1 patterns such as 01010101 (comma-separated per line)")
            }
            patterns.append(MeterPattern(stresses: p.map { $0 == "1" ? 1 : 0 }))
        }
        if let syllables {
            let counts = patterns.map(\.syllables)
            let cycle = max(counts.count, syllables.count)
            for i in 0..<cycle where counts[i % counts.count] != syllables[i % syllables.count] {
                throw LyricsError("meter: pattern \(patterns[i % counts.count]) has \(counts[i % counts.count]) syllables where --syllables asks \(syllables[i % syllables.count])")
            }
        }
        return patterns
    }
}

/// A word's stress as meter reads it: 0 unstressed, 1 stressed, 2 either.
public enum MeterStress {
    public static let either: UInt8 = 2
}

extension Pronunciations {
    /// The stress patterns of a word's pronunciations as meter reads them (see `MeterPattern`),
    /// distinct, e.g. "heaven": [1, 0]; "night": [2]. Empty for a word with no pronunciation.
    public func meterStresses(of word: String) -> [[UInt8]] {
        var out = [[UInt8]]()
        for p in pronunciations(of: word) {
            let digits = p.codes.filter(Phones.isVowel).map(Phones.stress)
            let s: [UInt8] = digits.count == 1 ? [MeterStress.either] : digits.map { $0 == 1 ? 1 : $0 == 0 ? 0 : MeterStress.either }
            if !s.isEmpty, !out.contains(s) { out.append(s) }
        }
        return out
    }

    /// How far the words miss the pattern: the fewest syllables whose stress contradicts it over
    /// every choice of pronunciations that gives exactly the pattern's syllables (0: the line
    /// scans), or nil when no choice gives that many syllables (or a word has no pronunciation).
    public func meterMisses(_ words: [String], pattern: MeterPattern) -> Int? {
        let L = pattern.syllables
        // cost[pos]: fewest misses with `pos` syllables used so far (nil: unreachable).
        var cost = [Int?](repeating: nil, count: L + 1)
        cost[0] = 0
        for w in words {
            let options = meterStresses(of: w)
            if options.isEmpty { return nil }
            var next = [Int?](repeating: nil, count: L + 1)
            for pos in 0...L {
                guard let c = cost[pos] else { continue }
                for o in options where pos + o.count <= L {
                    var miss = 0
                    for (i, s) in o.enumerated() where s != MeterStress.either && s != pattern.stresses[pos + i] { miss += 1 }
                    let end = pos + o.count
                    if next[end].map({ c + miss < $0 }) ?? true { next[end] = c + miss }
                }
            }
            cost = next
        }
        return cost[L]
    }

    /// `meterMisses` of a line of text (its words normalised as the dictionary reads them).
    public func meterMisses(line: String, pattern: MeterPattern) -> Int? {
        meterMisses(Self.normalizedWords(line), pattern: pattern)
    }

    /// Whether the line scans: exactly the pattern's syllables with no stress against it.
    public func scans(_ line: String, pattern: MeterPattern) -> Bool {
        meterMisses(line: line, pattern: pattern) == 0
    }
}
