import Blending
import Foundation
import LyricsCore
import NeuralNet
import WordModel
import WordVectors
import TestSupport
import XCTest
import Generation

/// Word models through the `TokenModel` adapter: tiny random vectors and networks.
final class WordBlendTests: XCTestCase {
    static let words = ["<unk>", "</s>", "the", "lord", "is", "my", "shepherd", "shall", "i", "compare", "thee"]

    func table(_ words: [String] = WordBlendTests.words, seed: UInt64 = 3) throws -> VectorTable {
        try Self.table(words, seed: seed)
    }

    static func table(_ words: [String] = WordBlendTests.words, seed: UInt64 = 3) throws -> VectorTable {
        var rng = SeededRandom(seed: seed)
        let vectors = (0..<(words.count * 6)).map { _ in rng.nextGaussian() }
        return try VectorTable(embedding: WordEmbedding(words: words, dimensions: 6, vectors: vectors), path: "tiny.vec")
    }

    func model(_ table: VectorTable, loss: WordLoss, seed: UInt64) -> WordTokenModel {
        let m = WordModel(config: WordModelConfig(loss: loss, layers: 1, hiddenSize: 8), table: table, batch: 1, maxSteps: 1, seed: seed)
        return try! WordTokenModel(model: m, path: "\(loss)-\(seed)", retrieval: .cosine)
    }

    func testDistributionIsNormalisedAndNeverUnknown() throws {
        let t = try table()
        for loss in WordLoss.allCases {
            let m = model(t, loss: loss, seed: 1)
            XCTAssertEqual(m.tokens[Int(m.newlineToken)], "\n")
            m.observe(text: "the lord is\n")
            var p = [Double](repeating: 0, count: m.tokens.count)
            m.distribution(into: &p)
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12)
            XCTAssertEqual(p[Int(t.unknownID)], 0)
            XCTAssertTrue(p.enumerated().allSatisfy { $0.offset == Int(t.unknownID) || $0.element > 0 })
        }
    }

    func testWordBlendsWriteWordsAndLinesDeterministically() throws {
        let t = try table()
        func mixed() throws -> String {
            try MixedModelTests.write(MixedModel(model(t, loss: .vmf, seed: 1), model(t, loss: .cosine, seed: 2)), lines: 3, seed: 4,
                                      prompt: "the lord")
        }
        let text = try mixed()
        XCTAssertEqual(text, try mixed())
        XCTAssertTrue(text.hasPrefix("the lord ") || text.hasPrefix("the lord\n"), text)
        XCTAssertEqual(text.filter { $0 == "\n" }.count, 2)
        XCTAssertFalse(text.contains("<unk>"))
        XCTAssertFalse(text.contains("</s>"))
        XCTAssertFalse(text.contains("  "))
        for w in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) { XCTAssertTrue(Self.words.contains(String(w)), String(w)) }
    }

    func testWordModelsOverDifferentVectorsAreRefused() throws {
        let a = model(try table(), loss: .vmf, seed: 1)
        let b = model(try table(Self.words + ["gold"]), loss: .vmf, seed: 1)
        XCTAssertThrowsError(try MixedModel(a, b)) { e in
            XCTAssertTrue("\(e)".contains("uses other word vectors than"), "\(e)")
        }
    }
}

final class WordFineTuningTests: XCTestCase {
    func testFineTuningStartsFromBaseWeightsAndKeepsTheBaseScoreAsBest() throws {
        let t = try WordBlendTests.table()
        let big = String(repeating: "the lord is my shepherd\ni shall\n", count: 30)
        let small = String(repeating: "shall i compare thee\n", count: 30)
        var o = WordTrainingOptions()
        o.batch = 2; o.sequenceLength = 4; o.epochs = 1; o.evalEvery = 1000
        let config = WordModelConfig(loss: .vmf, layers: 1, hiddenSize: 8)
        let spelling = SpellingModel(trainingText: big)
        let base = try WordTrainer(config: config, table: t, options: o, train: t.encode(big),
                                   valid: HeldOutText(normalized: big, table: t, spelling: spelling))
        try base.run()
        let path = try temporaryFolder().appendingPathComponent("wbase.safetensors").path
        try WordCheckpoint.save(base, to: path)
        let loaded = try WordCheckpoint.load(path)
        let valid = HeldOutText(normalized: small, table: t, spelling: spelling)
        let tuned = try WordFineTuning.trainer(base: loaded, table: t, options: o, train: t.encode(small), valid: valid)
        XCTAssertEqual(tuned.model.parameters.values.array, base.model.parameters.values.array)
        XCTAssertEqual(tuned.adam.t, 0)
        XCTAssertNotNil(tuned.state.bestValidBits)
        let scratch = try WordFineTuning.trainer(base: loaded, table: t, options: o, train: t.encode(small), valid: valid, fromScratch: true)
        XCTAssertNotEqual(scratch.model.parameters.values.array, base.model.parameters.values.array)
        // From scratch the random weights' score is only the curve's first point to beat.
        XCTAssertEqual(scratch.state.history.count, 1)
        XCTAssertEqual(scratch.state.history.first?.step, 0)
        XCTAssertEqual(WordCoverage(text: "the gold lord gold\n", table: t).summary,
                       "2 of 5 words (40.0%) are not in the vectors' vocabulary and are read as <unk>: gold x2")
    }
}
