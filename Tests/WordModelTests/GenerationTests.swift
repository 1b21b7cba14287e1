import Foundation
import XCTest
import TestSupport
import LyricsCore
import NeuralNet
@testable import WordModel

/// The sampler's contract and its handling of bad input.
final class GenerationTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    static func loadedModel(_ loss: WordLoss = .vmf) throws -> (LoadedWordModel, String) {
        let t = try Tiny.trainer(loss, dropout: 0)
        try t.run(maxSteps: 6)
        let path = Tiny.tempDir() + "/g.safetensors"
        try WordCheckpoint.save(t, to: path)
        return (try LoadedWordModel(loaded: WordCheckpoint.load(path), table: t.model.table), path)
    }

    func testSameSeedSameTextAndNoUnknown() throws {
        for loss in WordLoss.allCases {
            let (m, _) = try Self.loadedModel(loss)
            let req = GenerationRequest(seedText: "Shall I", length: .words(40), temperature: 1.5, topK: 10, seed: 4)
            let a = try m.generate(req), b = try m.generate(req)
            XCTAssertEqual(a.text, b.text)
            XCTAssertTrue(a.text.hasPrefix("shall i"))
            let words = WordTokenizer.tokenize(a.generated)
            XCTAssertEqual(words.filter { $0 != WordTokenizer.newline }.count, 40)
            XCTAssertFalse(words.contains(Vocabulary.unknown))
            XCTAssertFalse(a.text.contains("<unk>") || a.text.contains("</s>"))
        }
    }

    func testLinesAndGreedy() throws {
        let (m, _) = try Self.loadedModel()
        let r = try m.generate(GenerationRequest(seedText: "", length: .lines(3), temperature: 0, topK: 5, seed: 1))
        let breaks = r.generated.filter { $0 == "\n" }.count
        // Either three line breaks, or the safety cap on a line that never ends.
        XCTAssertTrue(breaks == 3 || WordTokenizer.tokenize(r.generated).count >= 3 * 200, r.generated)
        // Greedy ignores the seed.
        let g2 = try m.generate(GenerationRequest(seedText: "", length: .lines(3), temperature: 0, topK: 5, seed: 99))
        XCTAssertEqual(r.text, g2.text)
    }

    func testSeedOfOnlyUnknownWordsIsAnError() throws {
        let (m, _) = try Self.loadedModel()
        XCTAssertThrowsError(try m.generate(GenerationRequest(seedText: "xyzzy plugh", length: .words(3)))) { e in
            XCTAssertTrue("\(e)".contains("no word in the model's vocabulary"), "\(e)")
        }
        // One known word is enough; unknown ones are fed as <unk>.
        XCTAssertNoThrow(try m.generate(GenerationRequest(seedText: "xyzzy day", length: .words(3))))
    }

    func testTopKLargerThanVocabularyIsClamped() throws {
        let (m, _) = try Self.loadedModel()
        let r = try m.generate(GenerationRequest(seedText: "", length: .words(5), temperature: 1, topK: 100_000, seed: 2))
        XCTAssertEqual(r.notes.count, 1)
        XCTAssertTrue(r.notes[0].contains("top-k"), r.notes[0])
    }

    func testMismatchedVectorsAreRejected() throws {
        let (_, path) = try Self.loadedModel()
        let loaded = try WordCheckpoint.load(path)
        XCTAssertThrowsError(try LoadedWordModel(loaded: loaded, table: Tiny.table(dimension: 7)))
        XCTAssertThrowsError(try LoadedWordModel(loaded: loaded, table: Tiny.table(dropWords: [])))
    }

    /// One loaded model, many threads: results equal the single-threaded ones.
    func testConcurrentGenerationIsSafe() throws {
        let (m, _) = try Self.loadedModel()
        let expected = try (0..<4).map { try m.generate(seedText: "the", words: 12, temperature: 1, topK: 10, seed: UInt64($0)) }
        let results = UnsafeMutableBufferPointer<String>.allocate(capacity: 4)
        results.initialize(repeating: "")
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            results[i] = (try? m.generate(seedText: "the", words: 12, temperature: 1, topK: 10, seed: UInt64(i))) ?? "failed"
        }
        XCTAssertEqual(Array(results), expected)
    }
}
