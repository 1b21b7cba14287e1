/// Guesses the pronunciation of a word the dictionary lacks, from its spelling alone:
///
/// - **Syllables** (`syllableRule`): groups of vowel letters (a e i o u, and y after a
///   consonant), minus a silent final e ("love", not "table" or "the"), minus the e of a final
///   -ed that is not after t/d ("loved", not "wanted") and of a final -es that is not after
///   s, x, z, c, g, ch or sh ("loves", not "roses"); plus one for i before a, o, u that is not
///   -tia/-tio/-cia/-cio/-sio/-gio ("lion", "medium", not "nation").
/// - **Rhyme** (`rhyme(of:)`): learned from the dictionary: for every spelling ending of up to
///   `maxSuffix` letters, the rhyme key most dictionary words with that ending have. A word takes
///   the key of its longest ending seen in at least `minSupport` dictionary words whose key has
///   no more vowels than the syllable rule gives the word ("zight" ends like "night": AY T).
///   (Measured settings: endings of up to 7 or 9 letters, support 1, 2 or 3, with and without
///   the vowel cap; this one agreed best on held-out words, see docs/songwriting.md.)
/// - The guessed `Pronunciation` is one vowel per earlier vowel group (a small letter table),
///   the consonant before the rhyme (letter table) and the learned rhyme: enough for rhyme keys,
///   syllables and rhyme density, not a full transcription.
public struct SpellingFallback: Sendable {
    public static let maxSuffix = 9
    public static let minSupport = 1

    private let suffixes: WordTable
    /// Per suffix id: the chosen rhyme (phone indices) as an index into `rhymes`.
    private let suffixRhyme: [Int32]
    private let rhymes: [[UInt8]]

    /// Fits the rhyme table on the dictionary words for which `keeping(id)` is true (the
    /// agreement measurement holds out every 10th word; the tool fits on all of them).
    init(fittingOn dictionary: Pronunciations, keeping: (Int32) -> Bool) {
        var suffixes = WordTable(capacity: 400_000)
        var keyTable = WordTable(capacity: 40_000)
        var counts = [Int64: Int32]()
        counts.reserveCapacity(1_000_000)
        dictionary.forEachEntry { id, prons in
            guard keeping(id), let key = prons.first?.rhymeKey else { return }
            let keyID = key.phones.withUnsafeBytes { keyTable.insert($0) }
            let word = dictionary.words.word(id)
            let bytes = Array(word.utf8)
            let n = bytes.count
            bytes.withUnsafeBytes { all in
                for length in 1...min(Self.maxSuffix, n) {
                    let s = suffixes.insert(UnsafeRawBufferPointer(rebasing: all[(n - length)...]))
                    counts[Int64(s) << 32 | Int64(keyID), default: 0] += 1
                }
            }
        }
        // The most common rhyme per ending (ties: the rhyme seen first); support below the
        // threshold marks an ending as unusable.
        var best = [(count: Int32, key: Int32, total: Int32)](repeating: (0, 0, 0), count: suffixes.count)
        for (pair, c) in counts {
            let s = Int(pair >> 32), k = Int32(truncatingIfNeeded: pair)
            best[s].total += c
            if c > best[s].count || (c == best[s].count && k < best[s].key) { best[s] = (c, k, best[s].total) }
        }
        self.suffixes = suffixes
        suffixRhyme = best.map { $0.total >= Int32(Self.minSupport) ? $0.key : -1 }
        rhymes = (0..<Int32(keyTable.count)).map { Array(keyTable.word($0).utf8) }
    }

    /// The learned rhyme key of a normalised word: that of its longest known ending whose key
    /// has at most `maxVowels` vowels (the spelling rule's syllable count, in `guess`).
    public func rhyme(of word: String, maxVowels: Int = .max) -> RhymeKey? {
        let bytes = Array(word.utf8)
        let n = bytes.count
        guard n > 0 else { return nil }
        return bytes.withUnsafeBytes { all -> RhymeKey? in
            for length in stride(from: min(Self.maxSuffix, n), through: 1, by: -1) {
                if let s = suffixes.id(of: UnsafeRawBufferPointer(rebasing: all[(n - length)...])), suffixRhyme[Int(s)] >= 0 {
                    let phones = rhymes[Int(suffixRhyme[Int(s)])]
                    if maxVowels == .max || phones.filter({ $0 < Phones.vowelCount }).count <= maxVowels { return RhymeKey(phones: phones) }
                }
            }
            return nil
        }
    }

    /// A guessed pronunciation (see the type's description), or nil for a word without letters.
    public func guess(_ word: String) -> Pronunciation? {
        let letters = Array(word.utf8.filter { $0 != 0x27 })
        let groups = Self.vowelGroups(letters)
        let rule = Self.syllableRule(letters)
        guard let key = rhyme(of: word, maxVowels: rule) else {
            guard !groups.isEmpty else { return nil }
            // No known ending (rare: needs a letter no dictionary word ends with): each vowel
            // group's letter-table vowel, the last one stressed.
            var codes = groups.map { Phones.code(phone: Self.vowelPhone(letters, $0), stress: 0) }
            codes[codes.count - 1] = codes[codes.count - 1] | 1
            return Pronunciation(codes: codes, fromDictionary: false)
        }
        let rhymeVowels = key.phones.filter { $0 < Phones.vowelCount }.count
        let total = max(rule, rhymeVowels)
        let before = total - rhymeVowels
        var codes = [UInt8]()
        for g in groups.prefix(before) { codes.append(Phones.code(phone: Self.vowelPhone(letters, g), stress: 0)) }
        while codes.count < before { codes.append(Phones.code(phone: Phones.index(of: "AH")!, stress: 0)) }
        // The consonant before the rhyme: the letters before the vowel group where it starts.
        if before < groups.count, groups[before].lowerBound > 0, let onset = Self.consonantPhone(letters, endingAt: groups[before].lowerBound) {
            codes.append(Phones.code(phone: onset, stress: nil))
        }
        var stressed = false
        for p in key.phones {
            let vowel = p < Phones.vowelCount
            codes.append(Phones.code(phone: p, stress: vowel ? (stressed ? 0 : 1) : nil))
            if vowel { stressed = true }
        }
        return Pronunciation(codes: codes, fromDictionary: false)
    }

    // MARK: Spelling rules

    /// Syllables by the vowel-group rule in the type's description (at least 1 for a word with
    /// letters).
    public static func syllableRule(_ word: String) -> Int { syllableRule(Array(word.utf8.filter { $0 != 0x27 })) }

    static func syllableRule(_ w: [UInt8]) -> Int {
        let n = w.count
        guard n > 0 else { return 0 }
        var count = vowelGroups(w).count
        func at(_ i: Int) -> UInt8 { i >= 0 && i < n ? w[i] : 0 }
        let a = UInt8(ascii: "a"), c = UInt8(ascii: "c"), d = UInt8(ascii: "d"), e = UInt8(ascii: "e")
        let g = UInt8(ascii: "g"), h = UInt8(ascii: "h"), i_ = UInt8(ascii: "i"), l = UInt8(ascii: "l")
        let o = UInt8(ascii: "o"), s = UInt8(ascii: "s"), t = UInt8(ascii: "t"), u = UInt8(ascii: "u")
        let x = UInt8(ascii: "x"), z = UInt8(ascii: "z")
        let isV = { (b: UInt8) in Elision.isVowelLetter(b) }
        // Silent final e: "love", "stone"; not "table" (consonant + le), "the", "free".
        if at(n - 1) == e && !isV(at(n - 2)) && n >= 3 && !(at(n - 2) == l && !isV(at(n - 3))) { count -= 1 }
        // -ed after anything but t/d: "loved"; -es after anything but s x z c g ch sh: "loves".
        if n >= 4 && at(n - 2) == e && at(n - 1) == d && !isV(at(n - 3)) && at(n - 3) != t && at(n - 3) != d
            && !(at(n - 3) == l && !isV(at(n - 4))) { count -= 1 }
        if n >= 4 && at(n - 2) == e && at(n - 1) == s && !isV(at(n - 3)) && ![s, x, z, c, g].contains(at(n - 3))
            && !(at(n - 3) == h && (at(n - 4) == c || at(n - 4) == s)) && !(at(n - 3) == l && !isV(at(n - 4))) { count -= 1 }
        // i before a, o, u is usually its own syllable ("lion", "medium"), except -tion and kin.
        for k in 1..<max(n, 1) where w[k - 1] == i_ && (w[k] == a || w[k] == o || w[k] == u) {
            if k >= 2 && [t, c, s, g].contains(w[k - 2]) { continue }
            count += 1
        }
        return max(count, 1)
    }

    /// Ranges of vowel letters; y counts as a vowel except before a vowel at the word start.
    static func vowelGroups(_ w: [UInt8]) -> [Range<Int>] {
        var groups = [Range<Int>]()
        var start: Int?
        for k in 0..<w.count {
            var vowel = Elision.isVowelLetter(w[k])
            if w[k] == UInt8(ascii: "y") && k == 0 && w.count > 1 && Elision.isVowelLetter(w[1]) { vowel = false }
            if vowel { if start == nil { start = k } } else if let s = start { groups.append(s..<k); start = nil }
        }
        if let s = start { groups.append(s..<w.count) }
        return groups
    }

    /// A vowel phone for a group of vowel letters.
    static func vowelPhone(_ w: [UInt8], _ group: Range<Int>) -> UInt8 {
        let spelled = String(decoding: w[group.lowerBound..<min(group.upperBound, group.lowerBound + 2)], as: UTF8.self)
        let name = vowelTable[spelled] ?? vowelTable[String(spelled.prefix(1))] ?? "AH"
        return Phones.index(of: name)!
    }

    static let vowelTable: [String: String] = [
        "a": "AE", "e": "EH", "i": "IH", "o": "AA", "u": "AH", "y": "IY",
        "ai": "EY", "ay": "EY", "ei": "EY", "ey": "EY", "ee": "IY", "ea": "IY", "ie": "IY",
        "oo": "UW", "ou": "AW", "ow": "OW", "oa": "OW", "oe": "OW", "au": "AO", "aw": "AO",
        "oi": "OY", "oy": "OY", "eu": "UW", "ew": "UW", "ue": "UW",
    ]

    /// The consonant phone spelt by the letters just before `end` (a digraph like "th" or one
    /// letter), or nil for a vowel or an unknown letter.
    static func consonantPhone(_ w: [UInt8], endingAt end: Int) -> UInt8? {
        if end >= 2, let p = consonantTable[String(decoding: w[(end - 2)..<end], as: UTF8.self)] { return Phones.index(of: p) }
        return consonantTable[String(decoding: w[(end - 1)..<end], as: UTF8.self)].flatMap(Phones.index(of:))
    }

    static let consonantTable: [String: String] = [
        "b": "B", "c": "K", "d": "D", "f": "F", "g": "G", "h": "HH", "j": "JH", "k": "K", "l": "L", "m": "M",
        "n": "N", "p": "P", "q": "K", "r": "R", "s": "S", "t": "T", "v": "V", "w": "W", "x": "S", "z": "Z",
        "th": "DH", "sh": "SH", "ch": "CH", "ph": "F", "gh": "G", "ck": "K", "wh": "W", "qu": "W", "ng": "NG",
    ]
}
