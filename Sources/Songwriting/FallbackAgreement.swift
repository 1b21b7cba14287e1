import Foundation
import LyricsCore

/// How well the spelling fallback agrees with the dictionary on dictionary words it did not
/// learn from: every `holdOutEvery`-th word read from the file (ids in file order) is held out,
/// the fallback is fitted on the rest, and each held-out word's guess is compared with its
/// dictionary pronunciations.
public struct FallbackAgreement: Codable, Sendable, Equatable {
    public var heldOutWords = 0
    /// Guessed syllables equal to the first pronunciation's / to any pronunciation's count.
    public var syllablesExact = 0.0
    public var syllablesAnyPronunciation = 0.0
    /// The spelling rule alone (without the learned rhyme's vowels) against the first pronunciation.
    public var syllableRuleExact = 0.0
    /// Mean absolute syllable error against the first pronunciation.
    public var syllablesMeanAbsoluteError = 0.0
    /// Guessed rhyme key equal to one of the word's dictionary keys.
    public var rhymeKeyExact = 0.0
    /// Uniformly random held-out pairs (few rhyme), and pairs whose second word is drawn from
    /// the first's dictionary rhyme group half of the time (so recall rests on many rhymes;
    /// precision there is inflated by the enrichment).
    public var uniformPairs = PairCounts(), enrichedPairs = PairCounts()

    public init() {}

    public struct PairCounts: Codable, Sendable, Equatable {
        /// Pairs; those the dictionary says rhyme (some keys equal), the fallback says rhyme
        /// (guessed keys equal), and both.
        public var pairs = 0, dictionaryRhymes = 0, fallbackRhymes = 0, bothRhyme = 0
        /// Of the pairs the fallback calls rhymes, the share the dictionary agrees with.
        public var precision: Double { fallbackRhymes == 0 ? 0 : Double(bothRhyme) / Double(fallbackRhymes) }
        /// Of the dictionary's rhyming pairs, the share the fallback finds.
        public var recall: Double { dictionaryRhymes == 0 ? 0 : Double(bothRhyme) / Double(dictionaryRhymes) }

        mutating func add(dictionary: Bool, fallback: Bool) {
            pairs += 1
            if dictionary { dictionaryRhymes += 1 }
            if fallback { fallbackRhymes += 1 }
            if dictionary && fallback { bothRhyme += 1 }
        }
    }

    /// Measures with `uniformPairs` uniform and `pairs` enriched held-out pairs drawn with `seed`.
    public static func measure(_ dictionary: Pronunciations, holdOutEvery: Int = 10, uniformPairs: Int = 1_000_000, pairs: Int = 100_000,
                               seed: UInt64 = 1) -> FallbackAgreement {
        let fallback = SpellingFallback(fittingOn: dictionary, keeping: { Int($0) % holdOutEvery != 0 })
        var r = FallbackAgreement()
        var words = [String](), dictKeys = [[RhymeKey]](), guessKeys = [RhymeKey?]()
        var groups = [RhymeKey: [Int]]()
        var syl = 0, sylAny = 0, rule = 0, keyHits = 0, absErr = 0
        dictionary.forEachEntry { id, prons in
            guard Int(id) % holdOutEvery == 0, let firstPron = prons.first else { return }
            let word = dictionary.words.word(id)
            let guess = fallback.guess(word)
            let counts = prons.map(\.syllables)
            let guessed = guess?.syllables ?? 0
            if guessed == counts[0] { syl += 1 }
            if counts.contains(guessed) { sylAny += 1 }
            if SpellingFallback.syllableRule(word) == counts[0] { rule += 1 }
            absErr += abs(guessed - counts[0])
            var keys = [RhymeKey]()
            for p in prons { if let k = p.rhymeKey, !keys.contains(k) { keys.append(k) } }
            let g = guess?.rhymeKey
            if let g, keys.contains(g) { keyHits += 1 }
            if let k = firstPron.rhymeKey { groups[k, default: []].append(words.count) }
            words.append(word); dictKeys.append(keys); guessKeys.append(g)
        }
        let n = words.count
        r.heldOutWords = n
        guard n > 1 else { return r }
        r.syllablesExact = Double(syl) / Double(n)
        r.syllablesAnyPronunciation = Double(sylAny) / Double(n)
        r.syllableRuleExact = Double(rule) / Double(n)
        r.syllablesMeanAbsoluteError = Double(absErr) / Double(n)
        r.rhymeKeyExact = Double(keyHits) / Double(n)
        var rng = SeededRandom(seed: seed)
        for k in 0..<(uniformPairs + pairs) {
            let enriched = k >= uniformPairs
            let a = Int(rng.next() % UInt64(n))
            var b = Int(rng.next() % UInt64(n))
            if enriched && k % 2 == 1, let key = dictKeys[a].first, let group = groups[key], group.count > 1 {
                b = group[Int(rng.next() % UInt64(group.count))]
            }
            guard a != b else { continue }
            let dict = dictKeys[a].contains { dictKeys[b].contains($0) }
            let fall = guessKeys[a] != nil && guessKeys[a] == guessKeys[b]
            if enriched { r.enrichedPairs.add(dictionary: dict, fallback: fall) } else { r.uniformPairs.add(dictionary: dict, fallback: fall) }
        }
        return r
    }
}

extension FallbackAgreement: CustomStringConvertible {
    public var description: String {
        func pc(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func pairs(_ name: String, _ p: PairCounts) -> String {
            "\(name): \(p.pairs) pairs, \(p.dictionaryRhymes) rhyme by dictionary, \(p.fallbackRhymes) by fallback, "
                + "\(p.bothRhyme) both: precision \(pc(p.precision)), recall \(pc(p.recall))"
        }
        return """
        held-out dictionary words: \(heldOutWords)
        syllables: exact \(pc(syllablesExact)) (any pronunciation \(pc(syllablesAnyPronunciation)); \
        spelling rule alone \(pc(syllableRuleExact))), mean absolute error \(String(format: "%.3f", syllablesMeanAbsoluteError))
        rhyme key equal to a dictionary key: \(pc(rhymeKeyExact))
        \(pairs("uniform random pairs", uniformPairs))
        \(pairs("enriched pairs (half from the same dictionary rhyme group)", enrichedPairs))
        """
    }
}
