import Foundation
import Generation
import XCTest
import TestSupport
import LyricsCore
import NeuralNet
@testable import WordModel

/// Word models through the generation loop, the retrieval rules and bad input.
final class GenerationTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    static func trained(_ loss: WordLoss = .vmf) throws -> (WordTrainer, String) {
        let t = try Tiny.trainer(loss, dropout: 0)
        try t.run(maxSteps: 6)
        t.finish()
        let path = Tiny.tempDir() + "/g.safetensors"
        try WordCheckpoint.save(t, to: path)
        return (t, path)
    }

    /// fp32 unless asked: these tests compare generation's logits with the fp32 scoring path.
    static func tokenModel(_ loss: WordLoss = .vmf, retrieval: Retrieval? = nil, precision: Precision = .fp32) throws -> WordTokenModel {
        let (t, path) = try trained(loss)
        return try WordTokenModel(model: WordCheckpoint.model(WordCheckpoint.load(path), table: t.model.table, batch: 1, maxSteps: 1),
                                  path: path, retrieval: retrieval, precision: precision)
    }

    func testSameSeedSameTextAndNoUnknown() throws {
        for loss in WordLoss.allCases {
            let m = try Self.tokenModel(loss)
            let req = GenerationRequest(prompt: "Shall I", stop: StopConditions(words: 40), sampling: SamplingSettings(temperature: 1.5, topK: 10), seed: 4)
            let a = try Generator.generate(m, req), b = try Generator.generate(m, req)
            XCTAssertEqual(a.text, b.text)
            XCTAssertTrue(a.text.hasPrefix("shall i"))
            let words = WordTokenizer.tokenize(a.generated)
            XCTAssertEqual(words.filter { $0 != WordTokenizer.newline }.count, 40)
            XCTAssertFalse(a.text.contains("<unk>") || a.text.contains("</s>"))
        }
    }

    func testGreedyIgnoresTheSeed() throws {
        let m = try Self.tokenModel()
        let a = try Generator.generate(m, GenerationRequest(stop: StopConditions(lines: 3), sampling: SamplingSettings(temperature: 0), seed: 1))
        let b = try Generator.generate(m, GenerationRequest(stop: StopConditions(lines: 3), sampling: SamplingSettings(temperature: 0), seed: 99))
        XCTAssertEqual(a.text, b.text)
    }

    func testPromptOfOnlyUnknownWordsIsAnError() throws {
        let m = try Self.tokenModel()
        XCTAssertThrowsError(try Generator.generate(m, GenerationRequest(prompt: "xyzzy plugh", stop: StopConditions(words: 3)))) { e in
            XCTAssertTrue("\(e)".contains("prompt: no word of it is in the model's vocabulary"), "\(e)")
        }
        XCTAssertNoThrow(try Generator.generate(m, GenerationRequest(prompt: "xyzzy day", stop: StopConditions(words: 3))))
    }

    func testMismatchedVectorsAreRejected() throws {
        let (_, path) = try Self.trained()
        let loaded = try WordCheckpoint.load(path)
        XCTAssertThrowsError(try WordCheckpoint.model(loaded, table: Tiny.table(dimension: 7), batch: 1, maxSteps: 1))
        XCTAssertThrowsError(try WordCheckpoint.model(loaded, table: Tiny.table(dropWords: []), batch: 1, maxSteps: 1))
    }

    /// The vMF model's cosine-rule logits are exactly y·ê, the distribution it is scored with.
    func testVMFLogitsAreTheScoringSoftmax() throws {
        let m = try Self.tokenModel(.vmf, retrieval: .cosine)
        m.observe(m.table.id("shall"))
        var logits = [Float](repeating: 0, count: m.tokens.count)
        logits.withUnsafeMutableBufferPointer { m.logits(into: $0) }
        let y = m.saveState().suffix(m.table.dimension)
        for w in [0, 3, m.tokens.count - 1] {
            var dot: Float = 0
            for d in 0..<m.table.dimension { dot += y[y.startIndex + d] * m.table.unit[w * m.table.dimension + d] }
            XCTAssertEqual(logits[w], dot, accuracy: 1e-4)
        }
    }

    /// The prior rule's fit recovers known weights on synthetic scores, and a trained model
    /// stores one that survives the checkpoint.
    func testPriorFitRecoversWeightsAndIsStored() throws {
        let V = 6, N = 3000
        var r = SeededRandom(seed: 2)
        let logPrior: [Float] = [0.4, 0.2, 0.15, 0.1, 0.1, 0.05].map { Float(log($0)) }
        var scores = [Float](), targets = [Int32]()
        for _ in 0..<N {
            let s = (0..<V).map { _ in Float(r.nextGaussian()) }
            let z = (0..<V).map { 2 * Double(s[$0]) + 0.5 * Double(logPrior[$0]) }
            let m = z.max()!
            let p = z.map { exp($0 - m) }
            var u = r.nextDouble() * p.reduce(0, +)
            var t = 0
            for i in 0..<V { u -= p[i]; if u < 0 { t = i; break } }
            scores += s
            targets.append(Int32(t))
        }
        let f = RetrievalPrior.fit(scores: scores, targets: targets, logPrior: logPrior, excluded: nil)
        XCTAssertEqual(f.scale, 2, accuracy: 0.15)
        XCTAssertEqual(f.weight, 0.5, accuracy: 0.15)

        let (t, path) = try Self.trained(.cosine)
        XCTAssertNotNil(t.model.retrievalPrior)
        XCTAssertEqual(try WordCheckpoint.load(path).retrievalPrior, t.model.retrievalPrior)
        let prior = try WordTokenModel(model: WordCheckpoint.model(WordCheckpoint.load(path), table: t.model.table, batch: 1, maxSteps: 1), path: path)
        XCTAssertEqual(prior.retrieval, .prior, "cosine models write with the prior rule by default")
    }
}
