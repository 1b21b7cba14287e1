@testable import Songwriting
import XCTest

/// Rhyme density on hand-worked cases (vowel sequences written out; see RhymeDensity's rules).
final class RhymeDensityTests: XCTestCase {
    func testTwoVowelMatch() {
        // "x" [1 2], "y" [1 2]: vowels 1 2 1 2; the second word matches 2 vowels back to the start.
        let r = RhymeDensity.measure(vowels: [[1, 2], [1, 2]], words: ["x", "y"])
        XCTAssertEqual(r.lengths, [0, 2])
        XCTAssertEqual(r.partners, [nil, 0])
        XCTAssertEqual(r.density, 2)
    }

    func testIdenticalWordsAndSingleVowelsDoNotCount() {
        XCTAssertEqual(RhymeDensity.measure(vowels: [[1, 2], [1, 2]], words: ["love", "love"]).density, 0)
        // night/light alone: one shared vowel, counted as 0.
        XCTAssertEqual(RhymeDensity.measure(vowels: [[5], [5]], words: ["night", "light"]).lengths, [0, 0])
        XCTAssertEqual(RhymeDensity.measure(vowels: [[5], [5]], words: ["night", "light"], minimumLength: 1).lengths, [0, 1])
    }

    func testSequencesDoNotOverlap() {
        // "a" [1 1], "b" [1]: vowels 1 1 1. Matching "b" against "a" may only use vowels after
        // "a" ends, so the match is 1 vowel long (then 0 by the minimum).
        XCTAssertEqual(RhymeDensity.measure(vowels: [[1, 1], [1]], words: ["a", "b"], minimumLength: 1).lengths, [0, 1])
    }

    func testMatchesRunAcrossWords() {
        // the night / the light: AH AY AH AY. "light" matches "night" over AY and AH (2); the
        // second "the" is the same word as the first, so it scores 0. Mean over 3 words: 2/3.
        let r = RhymeDensity.measure(vowels: [[2], [5], [2], [5]], words: ["the", "night", "the", "light"])
        XCTAssertEqual(r.lengths, [0, 0, 0, 2])
        XCTAssertEqual(r.partners[3], 1)
        XCTAssertEqual(r.density, 2.0 / 3.0, accuracy: 1e-12)
    }

    func testLookbackAndWordsWithoutVowels() {
        // Word 0 and word 16 match (2 vowels) with 15 unrelated words between: out of reach with
        // a lookback of 15, in reach with 16. A vowel-less word is skipped, not counted.
        var vowels: [[UInt8]] = [[1, 2]]
        var words = ["a"]
        for k in 0..<15 { vowels.append([UInt8(100 + k)]); words.append("w\(k)") }
        vowels.append([1, 2]); words.append("b")
        XCTAssertEqual(RhymeDensity.measure(vowels: vowels, words: words).lengths.last, 0)
        XCTAssertEqual(RhymeDensity.measure(vowels: vowels, words: words, lookback: 16).lengths.last, 2)
        let withSilent = RhymeDensity.measure(vowels: [[1, 2], [], [1, 2]], words: ["x", "hmm", "y"])
        XCTAssertEqual(withSilent.lengths, [0, 2])
        XCTAssertEqual(withSilent.density, 2)
        XCTAssertEqual(RhymeDensity.measure(vowels: [], words: []).density, 0)
    }

    func testWithDictionaryPronunciations() throws {
        // i see the light / you see the night: AY IY AH AY | UW IY AH AY. "night" matches "light"
        // over AY AH IY (3; the next vowels AY and UW differ); every other word scores 0.
        let r = RhymeDensity.measure(text: "i see the light\nyou see the night\n", pronunciations: try Pronunciations.shared)
        XCTAssertEqual(r.lengths, [0, 0, 0, 0, 0, 0, 0, 3])
        XCTAssertEqual(r.density, 3.0 / 7.0, accuracy: 1e-12)
    }
}
