import Foundation
import LyricsCore
@testable import Songwriting
import TestSupport
import XCTest

/// Lookups in the bundled CMU dictionary, the rhyme rule, elisions and the spelling fallback.
final class PronunciationsTests: XCTestCase {
    static let dict: Pronunciations = try! Pronunciations.shared

    var dict: Pronunciations { Self.dict }

    func testDictionaryLookups() throws {
        XCTAssertGreaterThan(dict.fileWordCount, 120_000)
        XCTAssertEqual(dict.dictionaryPronunciations(of: "night").map(\.description), ["N AY1 T"])
        XCTAssertEqual(dict.rhymeKey(of: "night"), RhymeKey("AY T"))
        XCTAssertEqual(dict.rhymeKey(of: "delight"), RhymeKey("AY T"))
        // The last primary stress, stress digits dropped: "heaven" HH EH1 V AH0 N.
        XCTAssertEqual(dict.rhymeKey(of: "heaven"), RhymeKey("EH V AH N"))
        XCTAssertEqual(dict.syllables(of: "night"), 1)
        XCTAssertEqual(dict.syllables(of: "beautiful"), 3)
        XCTAssertEqual(dict.syllables(of: "remembering"), 4)
        XCTAssertEqual(dict.syllables(of: "the night is young"), 4)
        // Alternates: "fire" is F AY1 ER0 or F AY1 R.
        XCTAssertEqual(dict.syllableCounts(of: "fire"), [1, 2])
        XCTAssertEqual(dict.rhymeKeys(of: "fire").map(\.description), ["AY ER", "AY R"])
        // Looked up after normalisation.
        XCTAssertEqual(dict.rhymeKey(of: "NIGHT!"), RhymeKey("AY T"))
        XCTAssertTrue(dict.pronunciations(of: "night").allSatisfy(\.fromDictionary))
    }

    func testRhymes() {
        XCTAssertTrue(dict.rhymes("night", "light"))
        XCTAssertTrue(dict.rhymes("Night,", "LIGHT"))
        XCTAssertTrue(dict.rhymes("fear", "ear"))
        XCTAssertTrue(dict.rhymes("heart", "art"))
        XCTAssertTrue(dict.rhymes("desire", "fire"))
        XCTAssertFalse(dict.rhymes("love", "move"), "eye rhyme: AH V vs UW V")
        XCTAssertFalse(dict.rhymes("night", "day"))
        // Never with itself, nor an identical rhyme (same sound before the stressed vowel).
        XCTAssertFalse(dict.rhymes("night", "night"))
        XCTAssertFalse(dict.rhymes("night", "Night"))
        XCTAssertFalse(dict.rhymes("see", "foresee"))
        XCTAssertFalse(dict.rhymes("light", "delight"))
        XCTAssertFalse(dict.rhymes("night", "knight"))
        // Any pair of pronunciations may rhyme: "wind" (W IH1 N D, W AY1 N D) with "kind".
        XCTAssertTrue(dict.rhymes("wind", "kind"))
        XCTAssertTrue(dict.rhymes("wind", "sinned"))
    }

    func testArchaicWordsAndElisions() {
        XCTAssertEqual(dict.rhymeKey(of: "o'er"), RhymeKey("AO R"))
        XCTAssertTrue(dict.rhymes("o'er", "door"))
        XCTAssertEqual(dict.syllables(of: "o'er"), 1)
        XCTAssertEqual(dict.syllables(of: "didst"), 1)
        // "heav'n" is "heaven" without its second vowel; "pow'r" ends in R; "lov'd" is "loved".
        XCTAssertEqual(dict.pronunciations(of: "heav'n").first?.description, "HH EH1 V N")
        XCTAssertEqual(dict.syllables(of: "heav'n"), 1)
        XCTAssertEqual(dict.pronunciations(of: "pow'r").first?.description, "P AW1 R")
        XCTAssertEqual(dict.syllables(of: "ev'ry"), 2)
        XCTAssertEqual(dict.pronunciations(of: "lov'd").first?.description, "L AH1 V D")
        XCTAssertTrue(dict.pronunciations(of: "heav'n").allSatisfy(\.fromDictionary))
        // Quotes around a dictionary word: "lovers'".
        XCTAssertEqual(dict.rhymeKey(of: "lovers'"), dict.rhymeKey(of: "lovers"))
    }

    func testFallbackOnMadeUpWords() throws {
        for word in ["zight", "blorving", "flimbering", "snoodle"] {
            XCTAssertTrue(dict.dictionaryPronunciations(of: word).isEmpty, word)
            let p = try XCTUnwrap(dict.pronunciations(of: word).first, word)
            XCTAssertFalse(p.fromDictionary)
        }
        XCTAssertEqual(dict.rhymeKey(of: "zight"), RhymeKey("AY T"))
        XCTAssertTrue(dict.rhymes("zight", "night"))
        XCTAssertFalse(dict.rhymes("zight", "day"))
        XCTAssertEqual(dict.syllables(of: "zight"), 1)
        XCTAssertEqual(dict.syllables(of: "blorving"), 2)
        XCTAssertEqual(dict.syllables(of: "flimbering"), 3)
        // Learned endings: "snoodle" like "noodle" (same sound before the rhyme, so no rhyme).
        XCTAssertEqual(dict.rhymeKey(of: "snoodle"), dict.rhymeKey(of: "noodle"))
        XCTAssertTrue(dict.rhymes("snoodle", "doodle"))
        XCTAssertFalse(dict.rhymes("snoodle", "noodle"))
    }

    func testSyllableRule() {
        let cases: [(String, Int)] = [
            ("love", 1), ("loved", 1), ("wanted", 2), ("loves", 1), ("roses", 2), ("table", 2), ("tables", 2),
            ("the", 1), ("free", 1), ("lion", 2), ("nation", 2), ("medium", 3), ("heavn", 1), ("oer", 1), ("yes", 1),
            ("day", 1), ("happy", 2), ("beautiful", 3),
        ]
        for (w, n) in cases { XCTAssertEqual(SpellingFallback.syllableRule(w), n, w) }
    }

    /// The measured agreement on held-out words (the figures in docs/songwriting.md come from
    /// `lyrics rhyme --agreement`; this checks they stay in range).
    func testFallbackAgreementOnHeldOutWords() {
        let a = FallbackAgreement.measure(dict, holdOutEvery: 10, uniformPairs: 200_000, pairs: 20_000, seed: 1)
        print(a)
        XCTAssertGreaterThan(a.heldOutWords, 12_000)
        XCTAssertGreaterThan(a.syllablesExact, 0.85)
        XCTAssertGreaterThan(a.rhymeKeyExact, 0.4)
        XCTAssertGreaterThan(a.uniformPairs.dictionaryRhymes, 30)
        XCTAssertGreaterThan(a.uniformPairs.precision, 0.2)
        XCTAssertGreaterThan(a.enrichedPairs.recall, 0.5)
        XCTAssertEqual(a, FallbackAgreement.measure(dict, holdOutEvery: 10, uniformPairs: 200_000, pairs: 20_000, seed: 1), "deterministic")
    }

    func testBadDictionaryFile() throws {
        let dir = try temporaryFolder("sw").path
        try Data("night N AY1 T\nday D XX1\n".utf8).write(to: URL(fileURLWithPath: dir + "/bad.dict"))
        XCTAssertThrowsError(try Pronunciations(loading: dir + "/bad.dict")) { e in
            XCTAssertEqual((e as? LyricsError)?.description, dir + "/bad.dict: line 2: unknown phone 'XX1'")
        }
        XCTAssertThrowsError(try Pronunciations(loading: dir + "/missing.dict")) { e in
            XCTAssertEqual((e as? LyricsError)?.description, dir + "/missing.dict: no such file")
        }
        try Data("night N AY1 T # comment\nnight(2) N AY1 T AH0\nmoon M UW1 N\n".utf8).write(to: URL(fileURLWithPath: dir + "/ok.dict"))
        let small = try Pronunciations(loading: dir + "/ok.dict")
        XCTAssertEqual(small.dictionaryPronunciations(of: "night").map(\.description), ["N AY1 T", "N AY1 T AH0"])
        XCTAssertEqual(small.fileWordCount, 2)
    }
}
