import Foundation
import XCTest
import LyricsCore
import TestSupport
@testable import WordModel

/// The n-gram speller: hand-computed smoothing on tiny corpora, the spellings' probabilities
/// summing to 1 (to at most 1 once in-vocabulary spellings are excluded), determinism, sampling
/// and the fallback for bytes outside the alphabet.
final class SpellerTests: XCTestCase {
    static let ab: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "b")]
    static let unigram = SpellingModel(trainingText: "ab b\n")

    func speller(_ words: [String], vocabulary: [String] = [], order: Int, _ smoothing: SpellerSmoothing,
                 discount: Double? = nil) throws -> NGramSpeller {
        try NGramSpeller(words: words, vocabulary: vocabulary, order: order, smoothing: smoothing, alphabet: Self.ab,
                         fallback: Self.unigram, discount: discount)
    }

    /// Witten-Bell, order 2, words "ab", "b" over {a, b} + end (uniform floor 1/3).
    /// Unigram counts a 1, b 2, end 2 (total 5, 3 types): p0(a) = (1 + 1)/8, p0(b) = p0(end) = 3/8.
    /// p(a|begin) = (1 + 2·p0(a))/(2 + 2) = 3/8; p(b|a) = (1 + 3/8)/2 = 11/16;
    /// p(end|b) = (2 + 3/8)/3 = 19/24; p("ab") = 3/8 · 11/16 · 19/24.
    func testWittenBellByHand() throws {
        let s = try speller(["ab", "b"], order: 2, .wittenBell)
        XCTAssertEqual(try XCTUnwrap(s.rawProbability(of: "ab")), 3.0 / 8 * 11 / 16 * 19 / 24, accuracy: 1e-15)
        // p(b|begin) = (1 + 2·3/8)/4 = 7/16; p("b") = 7/16 · 19/24.
        XCTAssertEqual(try XCTUnwrap(s.rawProbability(of: "b")), 7.0 / 16 * 19 / 24, accuracy: 1e-15)
    }

    /// Kneser-Ney, order 2, D = 1/2, words "ab", "b". The unigram level counts distinct left
    /// neighbours: a 1 (begin), b 2 (begin, a), end 1 (b); total 4, 3 types:
    /// p0(a) = (1/2 + 1/2·3·1/3)/4 = 1/4, p0(b) = 1/2, p0(end) = 1/4.
    /// p(a|begin) = (1/2 + 1/2·2·1/4)/2 = 3/8; p(b|a) = (1/2 + 1/2·1/2)/1 = 3/4;
    /// p(end|b) = (3/2 + 1/2·1/4)/2 = 13/16.
    func testKneserNeyByHand() throws {
        let s = try speller(["ab", "b"], order: 2, .kneserNey, discount: 0.5)
        XCTAssertEqual(try XCTUnwrap(s.rawProbability(of: "ab")), 3.0 / 8 * 3 / 4 * 13 / 16, accuracy: 1e-15)
    }

    /// Order 3 with words "ab", "ab", "b": the context "begin" (length 1) keeps raw counts
    /// {a 2, b 1} (continuation counts would give {a 1, b 1}); p0 as above.
    /// p(b|begin) = (1/2 + 1/2·2·1/2)/3 = 1/3; p(b|begin begin) = (1/2 + 1/2·2·1/3)/3 = 5/18.
    /// p(end|b) = (3/2 + 1/2·1/4)/2 = 13/16 (left neighbours a and begin);
    /// p(end|begin b) = (1/2 + 1/2·13/16)/1 = 29/32. p("b") = 5/18 · 29/32.
    func testKneserNeyKeepsRawCountsAtWordStart() throws {
        let s = try speller(["ab", "ab", "b"], order: 3, .kneserNey, discount: 0.5)
        XCTAssertEqual(try XCTUnwrap(s.rawProbability(of: "b")), 5.0 / 18 * 29 / 32, accuracy: 1e-15)
    }

    /// All strings over {a, b} of length n.
    func strings(length n: Int) -> [String] {
        n == 0 ? [""] : strings(length: n - 1).flatMap { [$0 + "a", $0 + "b"] }
    }

    /// Mass of spellings longer than L = mass of the (L+1)-letter prefixes (no end symbol).
    func prefixMass(_ s: NGramSpeller, length n: Int) -> Double {
        strings(length: n).reduce(0) { total, w in
            let symbols = w.utf8.map { $0 == UInt8(ascii: "a") ? 0 : 1 }
            let history = [Int](repeating: s.begin, count: s.order - 1) + symbols
            var p = 1.0
            history.withUnsafeBufferPointer { h in
                for (i, sym) in symbols.enumerated() {
                    p *= s.conditional(sym, history: UnsafeBufferPointer(rebasing: h[i..<(i + s.order - 1)]))
                }
            }
            return total + p
        }
    }

    /// Σ_{|w| ≤ L} p(w) grows towards 1 from below, and with the mass of longer spellings (their
    /// L+1-letter prefixes) it is exactly 1; excluding the vocabulary, the out-of-vocabulary
    /// spellings up to L sum to at most 1 and approach it likewise.
    func testSpellingsSumToOne() throws {
        let corpus = ["ab", "ba", "aab", "b", "abba", "bab", "a"]
        for smoothing in SpellerSmoothing.allCases {
            for order in [1, 3, 5] {
                let s = try speller(corpus, vocabulary: ["ab", "b"], order: order, smoothing)
                var sum = 0.0, oov = 0.0, previous = 0.0
                for n in 0...4 {
                    for w in strings(length: n) {
                        sum += try XCTUnwrap(s.rawProbability(of: w))
                        let b = s.bits(of: w)
                        if w.isEmpty || w == "ab" || w == "b" { XCTAssertEqual(b, .infinity) } else { oov += exp2(-b) }
                    }
                    XCTAssertGreaterThan(sum, previous, "\(smoothing) order \(order) length \(n)")
                    XCTAssertLessThan(sum, 1)
                    XCTAssertLessThanOrEqual(oov, 1 + 1e-12)
                    XCTAssertEqual(sum + prefixMass(s, length: n + 1), 1, accuracy: 1e-12, "\(smoothing) order \(order) length \(n)")
                    // Once the vocabulary's spellings are counted (n ≥ 2) the out-of-vocabulary sum
                    // misses exactly the longer spellings, renormalised.
                    if n >= 2 { XCTAssertEqual(oov, 1 - prefixMass(s, length: n + 1) / exp2(s.log2OutOfVocabularyMass), accuracy: 1e-12) }
                    previous = sum
                }
            }
        }
    }

    func testDeterministicFitAndSampling() throws {
        let words = ["thee", "thou", "gold", "shepherd", "o'er", "thine", "shall", "thee"]
        let vocabulary = ["the", "shall"]
        let a = try NGramSpeller(words: words, vocabulary: vocabulary, order: 4, fallback: Self.unigram)
        let b = try NGramSpeller(words: words, vocabulary: vocabulary, order: 4, fallback: Self.unigram)
        for w in ["thee", "golden", "xyz", "o'er"] { XCTAssertEqual(a.bits(of: w).bitPattern, b.bits(of: w).bitPattern) }
        var r1 = SeededRandom(seed: 9), r2 = SeededRandom(seed: 9)
        let s1 = (0..<50).map { _ in a.sampleSpelling(random: &r1) }
        let s2 = (0..<50).map { _ in b.sampleSpelling(random: &r2) }
        XCTAssertEqual(s1, s2)
        for w in s1 {
            XCTAssertFalse(w.isEmpty)
            XCTAssertFalse(vocabulary.contains(w))
            XCTAssertTrue(w.utf8.allSatisfy { SpellingModel.alphabet.contains($0) }, w)
        }
    }

    /// Drawn spellings follow p(w | <unk>): frequencies of the likeliest spellings match their
    /// renormalised probabilities within sampling error.
    func testSamplingFollowsTheRenormalisedDistribution() throws {
        let s = try speller(["ab", "ba", "aab", "b", "abba"], vocabulary: ["ab"], order: 3, .kneserNey)
        var rng = SeededRandom(seed: 4)
        var counts = [String: Int]()
        let n = 20_000
        for _ in 0..<n { counts[s.sampleSpelling(random: &rng), default: 0] += 1 }
        XCTAssertNil(counts["ab"])
        for w in ["b", "a", "ba", "aab"] {
            let p = exp2(-s.bits(of: w))
            XCTAssertEqual(Double(counts[w] ?? 0) / Double(n), p, accuracy: 4 * (p * (1 - p) / Double(n)).squareRoot() + 1e-3, w)
        }
    }

    /// A byte outside the alphabet is charged the unigram fallback (8 bits for bytes it never
    /// saw), never skipped or free.
    func testFallbackForBytesOutsideTheAlphabet() throws {
        let s = try NGramSpeller(words: ["thee", "gold"], vocabulary: [], order: 3, fallback: Self.unigram)
        for w in ["caf\u{e9}", "a-b", "x1"] {
            XCTAssertNil(s.rawProbability(of: w))
            XCTAssertEqual(s.bits(of: w), Self.unigram.bits(of: w))
            XCTAssertTrue(s.bits(of: w).isFinite)
        }
        XCTAssertEqual(Self.unigram.bits(of: "a-b"), Self.unigram.bits(of: "ab") + 8, accuracy: 1e-12)
    }

    /// The fitting words: training tokens outside the vocabulary, tokens of rare words, or types.
    func testFittingWords() {
        let text = "the cat the dog\nthe cat owl\n"
        XCTAssertEqual(SpellerFit.unknown.words(trainingText: text, vocabulary: ["the", "cat"]), ["dog", "owl"])
        XCTAssertEqual(SpellerFit.rare(maxCount: 2).words(trainingText: text, vocabulary: []), ["cat", "dog", "cat", "owl"])
        XCTAssertEqual(SpellerFit.types.words(trainingText: text, vocabulary: []), ["the", "cat", "dog", "owl"])
        XCTAssertEqual(SpellerFit("rare:3"), .rare(maxCount: 3))
        XCTAssertNil(SpellerFit("rare:0"))
        XCTAssertNil(SpellerFit("often"))
    }

    /// A vocabulary that covers nearly all of the mass leaves too little for unknown words.
    func testRefusesWhenTheVocabularyTakesAllTheMass() {
        XCTAssertThrowsError(try speller(["a"], vocabulary: ["a"], order: 2, .kneserNey, discount: 1e-15))
    }


    /// Cross-check against the plain-Python reference (scripts/fixtures/golden_speller.py) on the sample
    /// sonnet: orders up to 7 exercise contexts the hand-computed cases cannot. Skipped without python3.
    func testMatchesPythonReference() throws {
        let root = LyricsExecutable.repositoryRoot
        let script = try String(contentsOf: root.appendingPathComponent("scripts/fixtures/golden_speller.py"), encoding: .utf8)
        let tokens = WordTokenizer.tokenize(Tiny.text).filter { $0 != WordTokenizer.newline }
        let vocabulary = Array(Set(tokens).sorted().prefix(40))
        let queries = ["thee", "golden", "o'er", "summer's", "zyx", "a", "shall", "eternal"]
        let dir = Tiny.tempDir()
        for (name, lines) in [("f", tokens), ("v", vocabulary), ("q", queries)] {
            try lines.joined(separator: "\n").write(toFile: dir + "/\(name).txt", atomically: true, encoding: .utf8)
        }
        for smoothing in SpellerSmoothing.allCases {
            for order in [2, 4, 7] {
                guard let r = Python.run(script, args: ["\(order)", smoothing.rawValue, dir + "/f.txt", dir + "/v.txt", dir + "/q.txt"]) else {
                    throw XCTSkip("python3 not available")
                }
                XCTAssertEqual(r.status, 0, r.err)
                let expected = r.out.split(separator: "\n").map { Double($0) ?? .nan }
                let s = try NGramSpeller(words: tokens, vocabulary: vocabulary, order: order, smoothing: smoothing, fallback: Self.unigram)
                XCTAssertEqual(expected.count, queries.count)
                for (q, e) in zip(queries, expected) {
                    if e.isInfinite { XCTAssertEqual(s.bits(of: q), .infinity, q) } else {
                        XCTAssertEqual(s.bits(of: q), e, accuracy: 1e-9 * e, "\(smoothing) \(order) \(q)")
                    }
                }
            }
        }
    }
}
