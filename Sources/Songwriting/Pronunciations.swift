import Foundation
import LyricsCore

/// The CMU Pronouncing Dictionary (0.7b, bundled as a resource) plus a small table of archaic
/// words it lacks, with a spelling fallback for everything else: rhyme keys, syllable counts and
/// whether two words rhyme. Words are looked up after the tool's normalisation (lowercase a-z and
/// apostrophe); entries whose spelling has other characters ("a.m.", "ad-hoc") can never be
/// looked up and are skipped. Load once (`Pronunciations.shared`); lookups are microseconds and
/// safe from any thread.
public final class Pronunciations: @unchecked Sendable {
    /// Words of the dictionary (ids are positions).
    let words: WordTable
    /// Pronunciations of word id `w`: `first[w]`, then `next[p]` until -1, in file order.
    private let first: [Int32]
    private let next: [Int32]
    /// Pronunciation `p` is `codes[offsets[p] ..< offsets[p + 1]]`.
    private let offsets: [Int32]
    private let codes: [UInt8]
    private let lock = NSLock()
    private var fallbackStorage: SpellingFallback?

    /// Number of words with at least one pronunciation (the file's and the archaic table's).
    public var wordCount: Int { words.count }
    /// Words read from the file (ids below this); the archaic table's follow.
    public let fileWordCount: Int

    /// The spelling fallback, fitted on this dictionary's words on first use.
    public var fallback: SpellingFallback {
        lock.lock(); defer { lock.unlock() }
        if let f = fallbackStorage { return f }
        let f = SpellingFallback(fittingOn: self, keeping: { _ in true })
        fallbackStorage = f
        return f
    }

    /// The bundled dictionary, loaded on first use. Set `LYRICS_CMUDICT` to use another file.
    public static var shared: Pronunciations {
        get throws {
            sharedLock.lock(); defer { sharedLock.unlock() }
            if let s = sharedStorage { return s }
            let s = try Pronunciations(loading: bundledPath())
            sharedStorage = s
            return s
        }
    }
    nonisolated(unsafe) private static var sharedStorage: Pronunciations?
    private static let sharedLock = NSLock()

    /// Where the bundled dictionary is: `$LYRICS_CMUDICT`, else the resource bundle that SwiftPM
    /// puts beside the executable (`Lyrics_Songwriting.resources`; copy it with the binary) or
    /// finds in the build folder.
    public static func bundledPath() -> String {
        if let env = ProcessInfo.processInfo.environment["LYRICS_CMUDICT"], !env.isEmpty { return env }
        return Bundle.module.bundleURL.appendingPathComponent("Resources/cmudict.dict").path
    }

    /// Reads a file in cmudict.dict format: `word PH1 PH2 ...`, `word(2) ...` for alternates,
    /// `# comment` at line ends.
    public convenience init(loading path: String) throws {
        try self.init(dictionary: InputFile.read(path), file: path)
    }

    /// Parses the dictionary's bytes directly (a String/Character pass is several times slower).
    public init(dictionary data: Data, file: String? = nil) throws {
        var table = WordTable(capacity: 140_000)
        var first = [Int32](), next = [Int32](), offsets: [Int32] = [0], codes = [UInt8]()
        var last = [Int32]()  // last pronunciation of each word, to append alternates in order
        first.reserveCapacity(140_000); last.reserveCapacity(140_000)
        next.reserveCapacity(140_000); offsets.reserveCapacity(140_000); codes.reserveCapacity(1_000_000)
        var lineNumber = 0
        var failure: String?
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            let n = buf.count
            var i = 0
            lines: while i < n {
                lineNumber += 1
                var end = i
                while end < n && buf[end] != 0x0A { end += 1 }
                defer { i = end + 1 }
                // The word: up to the first space, without a "(2)" suffix.
                var wordEnd = i
                while wordEnd < end && buf[wordEnd] != 0x20 { wordEnd += 1 }
                if wordEnd == i { continue }  // blank line
                var spelling = wordEnd
                if buf[spelling - 1] == 0x29 /* ) */, let open = (i..<spelling).last(where: { buf[$0] == 0x28 }) { spelling = open }
                for k in i..<spelling {
                    let b = buf[k]
                    if !(b >= 0x61 && b <= 0x7A) && b != 0x27 { continue lines }  // not a normalised word
                }
                let start = codes.count
                var k = wordEnd
                while k < end {
                    while k < end && buf[k] == 0x20 { k += 1 }
                    if k >= end || buf[k] == 0x23 /* # */ { break }
                    var e = k
                    while e < end && buf[e] != 0x20 { e += 1 }
                    guard let code = Self.parsePhone(buf, k, e) else {
                        failure = "line \(lineNumber): unknown phone '\(String(decoding: UnsafeRawBufferPointer(rebasing: buf[k..<e]), as: UTF8.self))'"
                        break lines
                    }
                    codes.append(code)
                    k = e
                }
                guard codes.count > start else { failure = "line \(lineNumber): no phones"; break lines }
                let id = Int(table.insert(UnsafeRawBufferPointer(rebasing: buf[i..<spelling])))
                let p = Int32(offsets.count - 1)
                offsets.append(Int32(codes.count))
                next.append(-1)
                if id == first.count { first.append(p); last.append(p) } else { next[Int(last[id])] = p; last[id] = p }
            }
        }
        if let failure { throw LyricsError(file: file, failure) }
        guard table.count > 0 else { throw LyricsError(file: file, "no pronunciations found") }
        fileWordCount = table.count
        for (word, phones) in ArchaicWords.table where table.id(of: word) == nil {
            let pron = Pronunciation(phones)!
            let id = Int(table.insert(word))
            precondition(id == first.count)
            first.append(Int32(offsets.count - 1))
            next.append(-1)
            codes.append(contentsOf: pron.codes)
            offsets.append(Int32(codes.count))
        }
        words = table
        self.first = first
        self.next = next
        self.offsets = offsets
        self.codes = codes
    }

    /// Phone index + 1 by (first letter, second letter or none) of the name, 0 for no phone:
    /// "AY" -> table[0 * 27 + 24]; a byte table, so parsing makes no Strings.
    private static let phoneLookup: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 26 * 27)
        for (i, name) in Phones.names.enumerated() {
            let b = Array(name.utf8)
            t[Int(b[0] - 0x41) * 27 + (b.count > 1 ? Int(b[1] - 0x41) : 26)] = UInt8(i + 1)
        }
        return t
    }()

    @inline(__always)
    private static func parsePhone(_ buf: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt8? {
        var e = end
        var stress: UInt8?
        let lastByte = buf[e - 1]
        if lastByte >= 0x30 && lastByte <= 0x32 { stress = lastByte - 0x30; e -= 1 }
        guard e - start == 1 || e - start == 2 else { return nil }
        let b0 = buf[start], b1 = e - start == 2 ? buf[start + 1] : 0
        guard b0 >= 0x41 && b0 <= 0x5A, e - start == 1 || (b1 >= 0x41 && b1 <= 0x5A) else { return nil }
        let entry = phoneLookup[Int(b0 - 0x41) * 27 + (e - start == 2 ? Int(b1 - 0x41) : 26)]
        guard entry > 0 else { return nil }
        let p = entry - 1
        guard (p < Phones.vowelCount) == (stress != nil) else { return nil }
        return Phones.code(phone: p, stress: stress)
    }

    // MARK: Lookups

    /// The dictionary's pronunciations of one normalised word, in file order (empty if absent).
    public func dictionaryPronunciations(of word: String) -> [Pronunciation] {
        words.id(of: word).map(pronunciations(id:)) ?? []
    }

    private func pronunciations(id: Int32) -> [Pronunciation] {
        var out = [Pronunciation]()
        var p = first[Int(id)]
        while p >= 0 {
            out.append(Pronunciation(codes: Array(codes[Int(offsets[Int(p)])..<Int(offsets[Int(p) + 1])]), fromDictionary: true))
            p = next[Int(p)]
        }
        return out
    }

    /// Pronunciations of one word: the dictionary's (also for the word without leading or
    /// trailing apostrophes: "lovers'"; for an elision, the full word's without the elided
    /// vowel: "heav'n"), else the spelling fallback's guess.
    public func pronunciations(of word: String) -> [Pronunciation] {
        let w = Self.normalizedWords(word).last ?? ""
        if w.isEmpty { return [] }
        let found = dictionaryPronunciations(of: w)
        if !found.isEmpty { return found }
        let trimmed = w.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        if trimmed != w, !trimmed.isEmpty {
            let again = dictionaryPronunciations(of: trimmed)
            if !again.isEmpty { return again }
        }
        if let expanded = Elision.expansion(of: trimmed) {
            let full = dictionaryPronunciations(of: expanded)
            if !full.isEmpty { return full.map { Elision.elide($0, word: trimmed) } }
        }
        return fallback.guess(trimmed.isEmpty ? w : trimmed).map { [$0] } ?? []
    }

    /// The rhyme key of the word's first pronunciation (of the last word, given several).
    public func rhymeKey(of word: String) -> RhymeKey? {
        pronunciations(of: word).first?.rhymeKey
    }

    /// The distinct rhyme keys of all the word's pronunciations.
    public func rhymeKeys(of word: String) -> [RhymeKey] {
        var keys = [RhymeKey]()
        for p in pronunciations(of: word) { if let k = p.rhymeKey, !keys.contains(k) { keys.append(k) } }
        return keys
    }

    /// Syllables (vowels) of the first pronunciation, summed over the words of `text`.
    public func syllables(of text: String) -> Int {
        Self.normalizedWords(text).reduce(0) { $0 + (pronunciations(of: $1).first?.syllables ?? 0) }
    }

    /// The distinct syllable counts of a word's pronunciations ("fire": 1 and 2), ascending.
    public func syllableCounts(of word: String) -> [Int] {
        Array(Set(pronunciations(of: word).map(\.syllables))).sorted()
    }

    /// Whether `a` and `b` rhyme: some pronunciation of each has the same rhyme key and a
    /// different sound before it. A word never rhymes with itself, and identical rhymes are
    /// refused: "see"/"foresee", "light"/"delight", "night"/"knight" share the consonant before
    /// the stressed vowel, so they repeat a sound rather than rhyme; "ear"/"fear" and
    /// "art"/"heart" rhyme. With several words, the last words are compared.
    public func rhymes(_ a: String, _ b: String) -> Bool {
        guard let wa = Self.normalizedWords(a).last, let wb = Self.normalizedWords(b).last, wa != wb else { return false }
        let pa = pronunciations(of: wa), pb = pronunciations(of: wb)
        for x in pa {
            guard let kx = x.rhymeKey else { continue }
            for y in pb where y.rhymeKey == kx && y.onset != x.onset { return true }
        }
        return false
    }

    /// The words of `text` after the tool's normalisation; text that is already one normalised
    /// word (the common case in generation) skips the normaliser.
    static func normalizedWords(_ text: String) -> [String] {
        if !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x27 }) { return [text] }
        return TextNormalizer.normalize(text).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    /// Every word read from the file with its pronunciations (ids in file order), for fitting
    /// and measuring the fallback.
    func forEachEntry(_ body: (Int32, [Pronunciation]) -> Void) {
        for id in 0..<Int32(fileWordCount) { body(id, pronunciations(id: id)) }
    }
}
