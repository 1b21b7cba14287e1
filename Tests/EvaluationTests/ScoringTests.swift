import Foundation
import XCTest
import TestSupport
import LyricsCore
import CharModel
import NeuralNet
import Evaluation
@testable import WordModel

/// Analytic checks of the comparison's accounting.
final class ScoringTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    /// With every weight zero the LSTMs emit 0 and the dense layer y = 0, so every word has
    /// score 0 and probability 1/V: exactly log2(V) bits per token (exp(0) = 1; the sum is exact).
    func testZeroOutputScoresLog2VPerToken() {
        let table = Tiny.table()
        for loss in WordLoss.allCases {
            let m = WordModel(config: WordModelConfig(loss: loss, layers: 1, hiddenSize: 7), table: table, batch: 3, maxSteps: 4, seed: 1)
            m.parameters.values.zero()
            let ids = table.encode(Tiny.text)
            let st = m.score(ids, kappa: 3)
            XCTAssertEqual(st.count, ids.count)
            XCTAssertEqual(st.nats / Foundation.log(2.0) / Double(st.count), log2(Double(table.count)), accuracy: 1e-9)
        }
    }

    /// Fixture "ab a\n": letters a×2, b×1, 2 words. Add-one over a-z + ' (27 symbols) + EOW:
    /// total = 3 + 2 + 27 + 1 = 33. p(a) = 3/33, p(b) = 2/33, p(z) = 1/33, p(EOW) = 3/33.
    func testSpellingModelOnFixture() {
        let s = SpellingModel(trainingText: "ab a\n")
        XCTAssertEqual(s.bits(of: "a"), -log2(3.0 / 33) - log2(3.0 / 33), accuracy: 1e-12)
        XCTAssertEqual(s.bits(of: "ba"), -log2(2.0 / 33) - log2(3.0 / 33) - log2(3.0 / 33), accuracy: 1e-12)
        XCTAssertEqual(s.bits(of: "z'"), -2 * log2(1.0 / 33) - log2(3.0 / 33), accuracy: 1e-12)
    }

    /// Char vs word on a tiny text: the word model's total is tokens × log2(V) (zero model) plus
    /// the spelling of its unknown words; the char model's (zero output) is characters × log2(Vc);
    /// both divide by the same characters and word tokens.
    func testCharAndWordScoresAddUp() {
        let table = Tiny.table()  // "thee" and "gold" are not in it
        let spelling = SpellingModel(trainingText: Tiny.text)
        let text = "shall i compare thee\nto gold\n"
        let held = HeldOutText(normalized: text, table: table, spelling: spelling)
        XCTAssertEqual(held.tokens, 8)
        XCTAssertEqual(held.characters, 29)
        XCTAssertEqual(held.unknownTokens, 2)
        XCTAssertEqual(held.spellingBits, spelling.bits(of: "thee") + spelling.bits(of: "gold"), accuracy: 1e-12)

        let m = WordModel(config: WordModelConfig(loss: .vmf, layers: 1, hiddenSize: 4), table: table, batch: 2, maxSteps: 3, seed: 1)
        m.parameters.values.zero()
        let w = Comparison.score(word: m, text: held, name: "w")
        let expected = 8 * log2(Double(table.count)) + held.spellingBits
        XCTAssertEqual(w.totalBits, expected, accuracy: 1e-9)
        XCTAssertEqual(w.bitsPerCharacter, expected / 29, accuracy: 1e-12)
        XCTAssertEqual(w.spellingBitsPerCharacter ?? -1, held.spellingBits / 29, accuracy: 1e-12)
        XCTAssertEqual(w.wordPerplexity, pow(2, expected / 8), accuracy: 1e-6 * pow(2, expected / 8))
        XCTAssertEqual(w.characterPerplexity, pow(2, expected / 29), accuracy: 1e-9)

        let cv = CharVocabulary(text: Tiny.text)
        let c = CharModel(config: CharModelConfig(cell: .lstm, layers: 1, hiddenSize: 4, embeddingSize: 3), vocabulary: cv,
                          batch: 2, maxSteps: 5, seed: 1, zeroOutput: true)
        let (cs, skipped) = Comparison.score(char: c, text: text, name: "c")
        XCTAssertEqual(skipped, 0)
        XCTAssertEqual(cs.totalBits, 29 * log2(Double(cv.count)), accuracy: 1e-9)
        XCTAssertEqual(cs.wordTokens, 8)
        XCTAssertEqual(cs.bitsPerCharacter, log2(Double(cv.count)), accuracy: 1e-12)
    }

    /// The hit rate counts a target ranked in the top 10 by score; with y = 0 every word ties
    /// (nothing scores strictly above the target), so every token is a hit.
    func testTopTenHitsWithTies() {
        let table = Tiny.table()
        let m = WordModel(config: WordModelConfig(loss: .vmf, layers: 1, hiddenSize: 4), table: table, batch: 1, maxSteps: 4, seed: 1)
        m.parameters.values.zero()
        let st = m.score(table.encode("to a summer's day\n"))
        XCTAssertEqual(st.hits, st.count)
    }
}
