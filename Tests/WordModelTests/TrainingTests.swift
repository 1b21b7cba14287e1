import Foundation
import XCTest
import TestSupport
import LyricsCore
import NeuralNet
@testable import WordModel

/// Training plan, determinism, exact resume and checkpoint checks on the tiny text.
final class TrainingTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    /// The state without wall-clock times (which differ run to run).
    func timeless(_ s: WordTrainingState) -> WordTrainingState {
        var s = s
        s.elapsedSeconds = 0
        for i in s.history.indices { s.history[i].seconds = 0 }
        return s
    }

    func testTrainingLowersLossAndRecordsHistory() throws {
        for loss in WordLoss.allCases {
            let t = try Tiny.trainer(loss, dropout: 0)
            let first = t.trainStep()
            try t.run()
            XCTAssertEqual(t.state.stopReason, "finished")
            XCTAssertLessThan(t.state.history.last!.trainLoss!, first, "\(loss)")
            XCTAssertEqual(t.state.history.count, t.state.step / 3 + (t.state.step % 3 == 0 ? 0 : 1))
            XCTAssertTrue(t.state.history.allSatisfy { $0.validBitsPerCharacter.isFinite && $0.validBitsPerCharacter > 0 })
        }
    }

    func testBitwiseDeterministicWithSeed() throws {
        for fineTune in [false, true] {
            let a = try Tiny.trainer(.vmf, fineTune: fineTune), b = try Tiny.trainer(.vmf, fineTune: fineTune)
            try a.run(maxSteps: 7)
            try b.run(maxSteps: 7)
            XCTAssertEqual(a.model.parameters.values.array, b.model.parameters.values.array)
            XCTAssertEqual(timeless(a.state), timeless(b.state))
        }
    }

    /// 4 steps, save, load, 4 more steps gives the same bits as 8 steps straight (dropout on,
    /// so the RNG state, carried LSTM state, Adam moments and kappa must all round-trip).
    func testResumeIsExact() throws {
        let dir = Tiny.tempDir()
        for loss in WordLoss.allCases {
            let table = Tiny.table()
            let straight = try Tiny.trainer(loss, table: table)
            try straight.run(maxSteps: 8)
            let first = try Tiny.trainer(loss, table: table)
            try first.run(maxSteps: 4)
            let path = dir + "/\(loss).safetensors"
            try WordCheckpoint.save(first, to: path)
            let loaded = try WordCheckpoint.load(path)
            let resumed = try WordCheckpoint.trainer(loaded, table: table, train: first.trainIDs, valid: first.valid)
            try resumed.run(maxSteps: 8)
            XCTAssertEqual(resumed.model.parameters.values.array, straight.model.parameters.values.array, "\(loss)")
            XCTAssertEqual(timeless(resumed.state), timeless(straight.state), "\(loss)")
            XCTAssertEqual(resumed.model.kappa, straight.model.kappa)
        }
    }

    func testCheckpointRejectsOtherVectors() throws {
        let dir = Tiny.tempDir()
        let t = try Tiny.trainer(.vmf)
        try t.run(maxSteps: 1)
        let path = dir + "/m.safetensors"
        try WordCheckpoint.save(t, to: path)
        let loaded = try WordCheckpoint.load(path)
        // Different dimension.
        XCTAssertThrowsError(try WordCheckpoint.model(loaded, table: Tiny.table(dimension: 5), batch: 1, maxSteps: 1)) { e in
            XCTAssertTrue("\(e)".contains("dimensions"), "\(e)")
        }
        // Different vocabulary, same dimension.
        XCTAssertThrowsError(try WordCheckpoint.model(loaded, table: Tiny.table(dropWords: ["thee"]), batch: 1, maxSteps: 1)) { e in
            XCTAssertTrue("\(e)".contains("vocabulary"), "\(e)")
        }
        XCTAssertThrowsError(try WordCheckpoint.trainer(loaded, table: t.model.table, train: Array(t.trainIDs.dropLast()), valid: t.valid))
        XCTAssertThrowsError(try WordCheckpoint.load(dir + "/missing.safetensors"))
    }

    /// A checkpoint records the vectors path relative to where training ran; it still finds the
    /// file from another working directory by looking beside and above the checkpoint.
    func testRelativeVectorsPathResolvesFromTheCheckpointsFolders() throws {
        let root = Tiny.tempDir()
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/vectors", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/runs/a", withIntermediateDirectories: true)
        let relative = "vectors/tiny-\(UInt32.random(in: 0...UInt32.max)).vec"
        XCTAssertFalse(fm.fileExists(atPath: relative), "the relative path must not resolve from the test's own directory")
        let table = try VectorTable(embedding: Tiny.embedding(dropWords: ["thee", "gold"]), path: relative)
        try table.words.joined(separator: "\n").write(toFile: root + "/" + relative, atomically: true, encoding: .utf8)
        let t = try Tiny.trainer(.vmf, table: table)
        try t.run(maxSteps: 1)
        try WordCheckpoint.save(t, to: root + "/runs/a/m.safetensors")
        let loaded = try WordCheckpoint.load(root + "/runs/a/m.safetensors")
        XCTAssertEqual(loaded.vectors.path, relative)
        XCTAssertEqual(URL(fileURLWithPath: loaded.vectorsPath).standardizedFileURL.path,
                       URL(fileURLWithPath: root + "/" + relative).standardizedFileURL.path)
        // Nothing to find: the stored path comes back unchanged, for the loader's error to name.
        try fm.removeItem(atPath: root + "/" + relative)
        XCTAssertEqual(loaded.vectorsPath, relative)
    }

    func testVectorsWithoutUnknownAreRejected() {
        XCTAssertThrowsError(try VectorTable(embedding: Tiny.embedding(withUnknown: false), path: "x.vec")) { e in
            XCTAssertTrue("\(e)".contains("<unk>"), "\(e)")
        }
    }

    /// After training a cosine model on the tiny text, kappa fitted on that text is a stationary
    /// point (an interior minimum) of its negative log-likelihood.
    func testKappaFitIsStationary() throws {
        let table = Tiny.table()
        let ids = table.encode(Tiny.text)
        var o = Tiny.trainingOptions()
        o.epochs = 60
        o.evalEvery = 0
        let valid = HeldOutText(normalized: Tiny.text, table: table, spelling: SpellingModel(trainingText: Tiny.text))
        let t = try WordTrainer(config: WordModelConfig(loss: .cosine, layers: 1, hiddenSize: 16), table: table, options: o,
                                train: ids, valid: valid)
        try t.run()
        let m = t.evalModel
        m.copyParameters(from: t.model)
        let k = m.fitKappa(ids, start: 1)
        XCTAssertGreaterThan(k, 1)
        let at = m.score(ids, kappa: k)
        XCTAssertEqual(at.dKappa, 0, accuracy: 1e-3 * Double(at.count))
        XCTAssertLessThan(at.nats, m.score(ids, kappa: k * 1.2).nats)
        XCTAssertLessThan(at.nats, m.score(ids, kappa: k / 1.2).nats)
    }
}
