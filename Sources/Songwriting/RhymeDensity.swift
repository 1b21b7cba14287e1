/// Rhyme density (Malmi et al. 2016, "DopeLearning", after their Raplyzer code): keep only the
/// vowels of the text (stress dropped); for each word, the length of the longest vowel sequence
/// ending at that word's last vowel that also ends at the last vowel of one of the `lookback`
/// (15) previous words; the density is the mean of these lengths. As in Raplyzer:
///
/// - words without vowels ("hmm", "th'") are skipped (they neither count nor break a match);
/// - a word never matches an identical word (repeating "love" is not a rhyme);
/// - the two sequences may not overlap (the later one starts after the earlier one ends);
/// - a match of one vowel counts as 0 (`minimumLength` 2): one shared vowel is too common to
///   be a rhyme;
/// - the mean runs over the words after the first (the first has nothing to rhyme with).
public enum RhymeDensity {
    public static let lookback = 15
    public static let minimumLength = 2

    /// Per-word match lengths and their mean.
    public struct Result: Sendable, Equatable {
        /// One entry per word that has vowels, the first word's included (always 0).
        public var lengths: [Int]
        /// For each entry, the index (among the words with vowels) of the earlier word the
        /// longest match ends at, or nil.
        public var partners: [Int?]
        public var density: Double
    }

    /// The pure core: `vowels[i]` are word i's vowels (phone indices, any consistent coding) and
    /// `words[i]` its spelling (for the identical-word rule).
    public static func measure(vowels: [[UInt8]], words: [String], lookback: Int = lookback,
                               minimumLength: Int = minimumLength) -> Result {
        precondition(vowels.count == words.count)
        var seq = [UInt8](), ends = [Int](), kept = [String]()
        for (v, w) in zip(vowels, words) where !v.isEmpty {
            seq.append(contentsOf: v)
            ends.append(seq.count - 1)
            kept.append(w)
        }
        var lengths = [Int](), partners = [Int?]()
        for i in 0..<ends.count {
            var best = 0
            var partner: Int?
            for j in max(0, i - lookback)..<i where kept[j] != kept[i] {
                let p1 = ends[j], p2 = ends[i]
                var l = 0
                while p1 - l >= 0 && p2 - l > p1 && seq[p1 - l] == seq[p2 - l] { l += 1 }
                if l < minimumLength { l = 0 }
                if l > best { best = l; partner = j }
            }
            lengths.append(best)
            partners.append(partner)
        }
        let scored = lengths.dropFirst()
        let density = scored.isEmpty ? 0 : Double(scored.reduce(0, +)) / Double(scored.count)
        return Result(lengths: lengths, partners: partners, density: density)
    }

    /// Rhyme density of normalised text (its words in order, line breaks ignored), each word's
    /// vowels from its first pronunciation (dictionary or spelling fallback).
    public static func measure(text: String, pronunciations: Pronunciations) -> Result {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        return measure(vowels: words.map { pronunciations.pronunciations(of: $0).first?.vowels ?? [] }, words: words)
    }
}
