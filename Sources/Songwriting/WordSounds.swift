import Foundation
import LyricsCore

/// What the song writer asks of a word many thousand times per song, looked up once and kept:
/// its syllables (first pronunciation, as `Pronunciations.syllables(of:)` counts them) and the
/// rhyme key and onset of each pronunciation, so "does w rhyme with the anchor" is a few byte
/// comparisons (the same rule as `Pronunciations.rhymes`).
final class WordSounds {
    struct Sound {
        var syllables: Int
        var rhymes: [(key: RhymeKey, onset: UInt8?)]
    }

    let pronunciations: Pronunciations
    private var cache = [String: Sound]()
    /// How many reference words share each rhyme key ("rhymable" words have several).
    private var keyCounts: [RhymeKey: Int]?
    private let referenceWords: [String]?

    /// `referenceWords`: the words rhymes are drawn from (a word model's vocabulary); nil: the
    /// dictionary's own words.
    init(pronunciations: Pronunciations, referenceWords: [String]? = nil) {
        self.pronunciations = pronunciations
        self.referenceWords = referenceWords
    }

    func sound(_ word: String) -> Sound {
        if let s = cache[word] { return s }
        let ps = pronunciations.pronunciations(of: word)
        var rhymes = [(key: RhymeKey, onset: UInt8?)]()
        for p in ps { if let k = p.rhymeKey, !rhymes.contains(where: { $0.key == k && $0.onset == p.onset }) { rhymes.append((k, p.onset)) } }
        let s = Sound(syllables: ps.first?.syllables ?? 0, rhymes: rhymes)
        if cache.count > 200_000 { cache.removeAll(keepingCapacity: true) }
        cache[word] = s
        return s
    }

    func syllables(_ word: String) -> Int { sound(word).syllables }

    /// `Pronunciations.rhymes` on cached sounds: different words, some pronunciations with one
    /// key and different onsets.
    func rhymes(_ a: String, _ b: String) -> Bool {
        guard a != b else { return false }
        let sa = sound(a), sb = sound(b)
        for x in sa.rhymes { for y in sb.rhymes where y.key == x.key && y.onset != x.onset { return true } }
        return false
    }

    /// Whether enough reference words share one of the word's rhyme keys that a later line can
    /// rhyme with it: at least 4 for a vocabulary, 60 among the dictionary's words (which hold
    /// many names and rare words, and which a char model must hit by spelling).
    func isRhymable(_ word: String) -> Bool {
        let counts = rhymeKeyCounts()
        let need = referenceWords == nil ? 60 : 4
        return sound(word).rhymes.contains { (counts[$0.key] ?? 0) >= need }
    }

    /// One-syllable dictionary words that pass `ok`, drawn from the words sharing a rhyme key
    /// with `anchor` (or, without one, every key with rhymes): the words a char model may spell
    /// as a line's last word when one syllable is left.
    func oneSyllableEnds(rhymingWith anchor: String?, _ ok: (String) -> Bool) -> [String] {
        let byKey = dictionaryByKey()
        let keys: [RhymeKey]
        if let anchor { keys = sound(anchor).rhymes.map(\.key) } else {
            let counts = rhymeKeyCounts()
            keys = byKey.keys.filter { (counts[$0] ?? 0) >= (referenceWords == nil ? 60 : 4) }
        }
        var out = [String]()
        for k in Set(keys) { for w in byKey[k] ?? [] where syllables(w) == 1 && ok(w) { out.append(w) } }
        return out
    }

    /// Dictionary words that rhyme with `word` (share a rhyme key, other onset), for the
    /// studio's rhyme list under a char model.
    func dictionaryWords(rhymingWith word: String) -> [String] {
        let byKey = dictionaryByKey()
        var out = Set<String>()
        for k in Set(sound(word).rhymes.map(\.key)) { for w in byKey[k] ?? [] where rhymes(w, word) { out.insert(w) } }
        return Array(out)
    }

    private var byKeyStorage: [RhymeKey: [String]]?
    private func dictionaryByKey() -> [RhymeKey: [String]] {
        if let byKeyStorage { return byKeyStorage }
        var out = [RhymeKey: [String]]()
        pronunciations.forEachEntry { id, ps in
            let w = pronunciations.words.word(id)
            for k in Set(ps.compactMap(\.rhymeKey)) { out[k, default: []].append(w) }
        }
        byKeyStorage = out
        return out
    }

    private func rhymeKeyCounts() -> [RhymeKey: Int] {
        if let keyCounts { return keyCounts }
        var counts = [RhymeKey: Int]()
        if let referenceWords {
            for w in referenceWords where w != "\n" {
                for k in Set(sound(w).rhymes.map(\.key)) { counts[k, default: 0] += 1 }
            }
        } else {
            pronunciations.forEachEntry { _, ps in
                for k in Set(ps.compactMap(\.rhymeKey)) { counts[k, default: 0] += 1 }
            }
        }
        keyCounts = counts
        return counts
    }
}
