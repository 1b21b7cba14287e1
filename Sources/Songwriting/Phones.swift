/// The 39 ARPAbet phones of the CMU Pronouncing Dictionary (cmudict.phones), 15 of them vowels.
/// A phone in a pronunciation is one byte: `index << 2 | tag`, where tag is the vowel's stress
/// digit (0 none, 1 primary, 2 secondary) or 3 for a consonant, so a whole pronunciation is a
/// small byte array and comparisons are byte comparisons.
public enum Phones {
    public static let names = [
        "AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW",
        "B", "CH", "D", "DH", "F", "G", "HH", "JH", "K", "L", "M", "N", "NG", "P", "R", "S", "SH", "T",
        "TH", "V", "W", "Y", "Z", "ZH",
    ]
    /// Phones below this index are vowels.
    public static let vowelCount: UInt8 = 15
    static let consonantTag: UInt8 = 3

    /// The index of a phone name, or nil.
    public static func index(of name: String) -> UInt8? {
        names.firstIndex(of: name).map { UInt8($0) }
    }

    @inline(__always) static func code(phone: UInt8, stress: UInt8?) -> UInt8 {
        phone << 2 | (phone < vowelCount ? (stress ?? 0) : consonantTag)
    }

    @inline(__always) static func phone(_ code: UInt8) -> UInt8 { code >> 2 }
    @inline(__always) static func isVowel(_ code: UInt8) -> Bool { code & 3 != consonantTag }
    @inline(__always) static func stress(_ code: UInt8) -> UInt8 { code & 3 }

    /// Parses "AY1" or "T" into a code.
    static func code(parsing name: Substring) -> UInt8? {
        var letters = name
        var stress: UInt8?
        if let last = name.last, let digit = last.wholeNumberValue {
            guard (0...2).contains(digit) else { return nil }
            stress = UInt8(digit)
            letters = name.dropLast()
        }
        guard let p = index(of: String(letters)) else { return nil }
        guard (p < vowelCount) == (stress != nil) else { return nil }
        return code(phone: p, stress: stress)
    }
}

/// One way to say a word: ARPAbet phones with stress, from the dictionary or guessed from the
/// spelling (`fromDictionary == false`).
public struct Pronunciation: Hashable, Sendable, CustomStringConvertible {
    /// Phone codes (see `Phones`).
    public let codes: [UInt8]
    public let fromDictionary: Bool

    public init(codes: [UInt8], fromDictionary: Bool) {
        self.codes = codes
        self.fromDictionary = fromDictionary
    }

    /// Parses "L AY1 T" (tests and hand-written tables); nil if a phone is unknown.
    public init?(_ text: String, fromDictionary: Bool = true) {
        var codes = [UInt8]()
        for name in text.split(separator: " ") {
            guard let c = Phones.code(parsing: name) else { return nil }
            codes.append(c)
        }
        self.init(codes: codes, fromDictionary: fromDictionary)
    }

    /// Number of vowels.
    public var syllables: Int { codes.reduce(0) { $0 + (Phones.isVowel($1) ? 1 : 0) } }

    /// The vowels without stress (phone indices), for rhyme density.
    public var vowels: [UInt8] { codes.filter(Phones.isVowel).map(Phones.phone) }

    /// Where the rhyme starts: the last primary-stressed vowel, else the last secondary-stressed
    /// one, else the last vowel; nil for a pronunciation without vowels ("hmm").
    public var rhymeStart: Int? {
        var primary: Int?, secondary: Int?, any: Int?
        for (i, c) in codes.enumerated() where Phones.isVowel(c) {
            any = i
            switch Phones.stress(c) {
            case 1: primary = i
            case 2: secondary = i
            default: break
            }
        }
        return primary ?? secondary ?? any
    }

    /// The phones from `rhymeStart` to the end, without stress digits.
    public var rhymeKey: RhymeKey? {
        rhymeStart.map { RhymeKey(phones: codes[$0...].map(Phones.phone)) }
    }

    /// The phone just before the rhyme (the stressed syllable's last onset consonant), or nil at
    /// the word start: "see" and "foresee" share it (S), so they are an identical rhyme, not a
    /// rhyme; "ear" (none) and "fear" (F) differ.
    public var onset: UInt8? {
        guard let s = rhymeStart, s > 0 else { return nil }
        return Phones.phone(codes[s - 1])
    }

    public var description: String {
        codes.map { c in
            let name = Phones.names[Int(Phones.phone(c))]
            return Phones.isVowel(c) ? name + String(Phones.stress(c)) : name
        }.joined(separator: " ")
    }
}

/// The part of a pronunciation two words must share to rhyme: the phones from the last stressed
/// vowel to the end, stress dropped ("night", "light" -> AY T).
public struct RhymeKey: Hashable, Sendable, CustomStringConvertible {
    /// Phone indices into `Phones.names`.
    public let phones: [UInt8]

    public init(phones: [UInt8]) { self.phones = phones }

    /// Parses "AY T"; nil if a phone is unknown.
    public init?(_ text: String) {
        var phones = [UInt8]()
        for name in text.split(separator: " ") {
            guard let p = Phones.index(of: String(name)) else { return nil }
            phones.append(p)
        }
        self.phones = phones
    }

    public var description: String { phones.map { Phones.names[Int($0)] }.joined(separator: " ") }
}
