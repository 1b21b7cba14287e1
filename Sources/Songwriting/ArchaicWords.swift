/// Words of old verse that the CMU dictionary lacks and the spelling rules would get wrong
/// (elisions like "o'er", second-person verb forms like "didst"), with hand-written
/// pronunciations. They are added to the dictionary at load unless it has them already.
enum ArchaicWords {
    static let table: [(String, String)] = [
        ("o'er", "AO1 R"), ("e'er", "EH1 R"), ("ne'er", "N EH1 R"), ("e'en", "IY1 N"),
        ("whene'er", "W EH0 N EH1 R"), ("where'er", "W EH0 R EH1 R"), ("whate'er", "W AH0 T EH1 R"),
        ("th'", "DH"), ("'gainst", "G EH1 N S T"), ("'mid", "M IH1 D"), ("'midst", "M IH1 D S T"),
        ("'neath", "N IY1 TH"), ("'twere", "T W ER1"), ("'tween", "T W IY1 N"), ("'twill", "T W IH1 L"),
        ("twixt", "T W IH1 K S T"), ("wast", "W AA1 S T"), ("doest", "D UW1 AH0 S T"),
        ("didst", "D IH1 D S T"), ("canst", "K AE1 N S T"), ("couldst", "K UH1 D S T"),
        ("wouldst", "W UH1 D S T"), ("shouldst", "SH UH1 D S T"), ("mayst", "M EY1 S T"),
        ("mightst", "M AY1 T S T"), ("seest", "S IY1 AH0 S T"), ("saith", "S EH1 TH"),
        ("methinks", "M IY0 TH IH1 NG K S"), ("forsooth", "F ER0 S UW1 TH"), ("prithee", "P R IH1 DH IY0"),
        ("verily", "V EH1 R AH0 L IY0"),
    ]
}

/// Poetic elisions of dictionary words: "lov'd" is said as "loved" (the dictionary already
/// drops that vowel), "heav'n", "pow'r" and "ev'ry" as "heaven", "power" and "every" without the
/// first unstressed vowel after the stressed one (ER0 becomes R).
enum Elision {
    /// The expanded spelling to look up: "lov'd" -> "loved", "heav'n" -> "heaven"; nil unless
    /// there is one inner apostrophe followed by a consonant.
    static func expansion(of word: String) -> String? {
        let chars = Array(word.utf8)
        guard let i = chars.firstIndex(of: 0x27), i > 0, i + 1 < chars.count,
              chars.lastIndex(of: 0x27) == i, !isVowelLetter(chars[i + 1]) else { return nil }
        return String(decoding: chars[..<i] + [0x65] + chars[(i + 1)...], as: UTF8.self)
    }

    /// The expanded word's pronunciation with the elided vowel removed ("'d" words keep theirs).
    static func elide(_ p: Pronunciation, word: String) -> Pronunciation {
        if word.hasSuffix("'d") { return Pronunciation(codes: p.codes, fromDictionary: true) }
        var codes = p.codes
        guard let stressed = codes.firstIndex(where: { Phones.isVowel($0) && Phones.stress($0) == 1 }),
              let weak = codes[(stressed + 1)...].firstIndex(where: { Phones.isVowel($0) && Phones.stress($0) == 0 })
        else { return p }
        if Phones.phone(codes[weak]) == Phones.index(of: "ER")! {
            codes[weak] = Phones.code(phone: Phones.index(of: "R")!, stress: nil)
        } else {
            codes.remove(at: weak)
        }
        return Pronunciation(codes: codes, fromDictionary: true)
    }

    static func isVowelLetter(_ b: UInt8) -> Bool {
        b == 0x61 || b == 0x65 || b == 0x69 || b == 0x6F || b == 0x75 || b == 0x79
    }
}
