import Foundation
import LyricsCore
import CharModel
import NeuralNet
import TestSupport
import XCTest

final class FineTuningTests: XCTestCase {
    let big = String(repeating: "the lord is my shepherd i shall not want\nhe maketh me to lie down\n", count: 20)
    let small = String(repeating: "shall i compare thee to a summer's day\nthou art more lovely\n", count: 12)

    /// A briefly trained base model saved as a training checkpoint.
    func baseCheckpoint() throws -> CharCheckpoint.Loaded {
        let path = try temporaryFolder().appendingPathComponent("base.safetensors").path
        let vocab = CharVocabulary(text: big)
        var o = CharTrainingOptions()
        o.batch = 4; o.sequenceLength = 16; o.epochs = 2; o.evalEvery = 1000
        let ids = vocab.encode(big).ids
        let t = try CharTrainer(config: CharModelConfig(layers: 1, hiddenSize: 16, embeddingSize: 8), vocabulary: vocab,
                                options: o, train: ids, valid: ids)
        try t.run()
        try CharCheckpoint.save(t, to: path)
        return try CharCheckpoint.load(path)
    }

    func options() -> CharTrainingOptions {
        var o = CharTrainingOptions()
        o.batch = 4; o.sequenceLength = 16; o.epochs = 3; o.evalEvery = 5; o.learningRate = 1e-3
        return o
    }

    func testCoverageReportsMissingCharacters() {
        let c = VocabularyCoverage(text: small, vocabulary: CharVocabulary(text: big))
        XCTAssertFalse(c.isComplete)
        let missing = Set(c.missing.map { Character(UnicodeScalar($0.byte)) })
        XCTAssertEqual(missing, Set(Set(small).subtracting(Set(big))))
        XCTAssertTrue(c.summary.contains("'c' x12"), c.summary)
        XCTAssertFalse(c.summary.contains("\n"))
        XCTAssertTrue(VocabularyCoverage(text: "the lord\n", vocabulary: CharVocabulary(text: big)).isComplete)
    }

    func testFineTuningStartsFromBaseWeightsWithFreshOptimizer() throws {
        let base = try baseCheckpoint()
        let ids = base.vocabulary.encode(small).ids
        let tuned = try CharFineTuning.trainer(base: base, options: options(), train: ids, valid: ids)
        let baseModel = try CharCheckpoint.model(base, batch: 1, maxSteps: 1)
        XCTAssertEqual(tuned.model.parameters.values.array, baseModel.parameters.values.array)
        XCTAssertEqual(tuned.bestParameters.array, baseModel.parameters.values.array)
        XCTAssertEqual(tuned.adam.t, 0)
        XCTAssertTrue(tuned.adam.m.array.allSatisfy { $0 == 0 })
        XCTAssertEqual(tuned.state.step, 0)
        let scratch = try CharFineTuning.trainer(base: base, options: options(), train: ids, valid: ids, fromScratch: true)
        XCTAssertNotEqual(scratch.model.parameters.values.array, baseModel.parameters.values.array)
        XCTAssertEqual(scratch.model.parameters.count, baseModel.parameters.count)
    }

    func testRunRecordsHistoryAndNeverEndsWorseThanItsBest() throws {
        let base = try baseCheckpoint()
        let ids = base.vocabulary.encode(small).ids
        let t = try CharFineTuning.trainer(base: base, options: options(), train: ids, valid: ids)
        try t.run()
        let final = t.finish()
        let h = t.state.history
        XCTAssertEqual(h.first?.step, 0)
        XCTAssertNil(h.first?.trainLoss)
        XCTAssertGreaterThan(h.count, 2)
        let best = h.map(\.validBitsPerCharacter).min()!
        XCTAssertEqual(final, best, accuracy: 1e-9)
        XCTAssertEqual(t.validate(), best, accuracy: 1e-9)
        XCTAssertLessThan(best, h[0].validBitsPerCharacter)
        // The history travels in the checkpoint.
        let path = try temporaryFolder().appendingPathComponent("h.safetensors").path
        try CharCheckpoint.save(t, to: path)
        XCTAssertEqual(try SequenceCheckpoint.history(CharCheckpoint.load(path).file), h)
    }
}
