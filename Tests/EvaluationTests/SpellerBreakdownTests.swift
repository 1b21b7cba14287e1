import Evaluation
import Foundation
import LyricsCore
import TestSupport
import WordModel
import XCTest

/// The comparison's per-speller rows and their breakdown of a word model's bits.
final class SpellerBreakdownTests: XCTestCase {
    /// The comparison's breakdown: with a zero model every token costs log2(V) bits, so each part
    /// is its token count × log2(V) / characters, and the four parts add up to the total.
    func testBreakdownAddsUp() throws {
        let table = Tiny.table()  // "thee" and "gold" are not in it
        let text = "shall i compare thee\nto gold\n"
        let ngram = try NGramSpellerConfig(order: 4).fit(trainingText: Tiny.text, vocabulary: table.words)
        let held = HeldOutText(normalized: text, table: table, spelling: SpellingModel(trainingText: Tiny.text))
        let m = WordModel(config: WordModelConfig(loss: .vmf, layers: 1, hiddenSize: 4), table: table, batch: 2, maxSteps: 3, seed: 1)
        m.parameters.values.zero()
        let rows = Comparison.score(word: m, text: held, name: "w", spellers: [SpellingModel(trainingText: Tiny.text), ngram])
        XCTAssertEqual(rows.map(\.speller), ["unigram", "ngram"])
        let bit = log2(Double(table.count)) / 29
        for r in rows {
            XCTAssertEqual(r.inVocabularyBitsPerCharacter ?? 0, 4 * bit, accuracy: 1e-12)
            XCTAssertEqual(r.newlineBitsPerCharacter ?? 0, 2 * bit, accuracy: 1e-12)
            XCTAssertEqual(r.unknownBitsPerCharacter ?? 0, 2 * bit, accuracy: 1e-12)
            let parts = [r.inVocabularyBitsPerCharacter, r.newlineBitsPerCharacter, r.unknownBitsPerCharacter, r.spellingBitsPerCharacter]
            XCTAssertEqual(parts.map { $0 ?? 0 }.reduce(0, +), r.bitsPerCharacter, accuracy: 1e-12)
        }
        XCTAssertEqual(rows[1].spellingBitsPerCharacter ?? 0, (ngram.bits(of: "thee") + ngram.bits(of: "gold")) / 29, accuracy: 1e-12)
        XCTAssertEqual(rows[1].spellingBitsPerLetter ?? 0, (ngram.bits(of: "thee") + ngram.bits(of: "gold")) / 8, accuracy: 1e-12)
    }
}
