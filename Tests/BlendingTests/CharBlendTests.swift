import Blending
import Foundation
import LyricsCore
import CharModel
import NeuralNet
import TestSupport
import XCTest
import Generation
import Models

/// Real (tiny, random) char models through the `TokenModel` adapter and the checkpoint loader.
final class CharBlendTests: XCTestCase {
    func tinyModel(_ alphabet: String, seed: UInt64) -> CharModel {
        let config = CharModelConfig(cell: .lstm, layers: 1, hiddenSize: 8, embeddingSize: 4)
        return CharModel(config: config, vocabulary: CharVocabulary(text: alphabet), batch: 1, maxSteps: 1, seed: seed)
    }

    func tempDir() throws -> String {
        try temporaryFolder("blending").path
    }

    func testDistributionIsTheModelsSoftmax() throws {
        let m = try CharTokenModel(model: tinyModel("ab c\n", seed: 3), path: "m", precision: .fp32)
        m.observe(text: "ab")
        var p = [Double](repeating: 0, count: m.tokens.count)
        m.distribution(into: &p)
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12)
        // The same model fed the same ids directly.
        let ref = tinyModel("ab c\n", seed: 3)
        var logits = [Float]()
        for b in "\nab".utf8 {
            var id = ref.vocabulary.id(of: b)!
            let out = ref.forward(&id, steps: 1, training: false)
            logits = Array(UnsafeBufferPointer(start: out, count: ref.vocabulary.count))
        }
        let mx = Double(logits.max()!)
        let e = logits.map { Foundation.exp(Double($0) - mx) }
        let s = e.reduce(0, +)
        for (x, y) in zip(p, e.map { $0 / s }) { XCTAssertEqual(x, y, accuracy: 1e-12) }
    }

    func testMixingDifferentAlphabetsMapsByCharacter() throws {
        let a = try CharTokenModel(model: tinyModel("ab\n", seed: 1), path: "a")
        let b = try CharTokenModel(model: tinyModel("bc\n", seed: 2), path: "b")
        XCTAssertEqual(try MixedModel(a, b).tokens, ["\n", "a", "b", "c"])
        var pa = [Double](repeating: 0, count: 3), pb = [Double](repeating: 0, count: 3)
        a.distribution(into: &pa)
        b.distribution(into: &pb)
        let m = try MixedModel(a, b, weight: 0.25).mixedDistribution()
        XCTAssertEqual(m.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(m[1], 0.25 * pa[1], accuracy: 1e-15)     // "a": B gives it 0
        XCTAssertEqual(m[3], 0.75 * pb[2], accuracy: 1e-15)     // "c": A gives it 0
        XCTAssertEqual(m[2], 0.25 * pa[2] + 0.75 * pb[1], accuracy: 1e-15)
        XCTAssertEqual(try MixedModel(a, b, weight: 1).mixedDistribution(), [pa[0], pa[1], pa[2], 0])
    }

    func testCheckpointsBlendDeterministically() throws {
        let dir = try tempDir()
        var paths = [String]()
        for (i, text) in ["the lord is my shepherd\n", "shall i compare thee\n"].enumerated() {
            let vocab = CharVocabulary(text: text)
            var o = CharTrainingOptions()
            o.batch = 1; o.sequenceLength = 4; o.epochs = 1; o.evalEvery = 1000
            let ids = vocab.encode(text).ids
            let t = try CharTrainer(config: CharModelConfig(layers: 1, hiddenSize: 8, embeddingSize: 4), vocabulary: vocab,
                                    options: o, train: ids, valid: ids)
            paths.append(dir + "/m\(i).safetensors")
            try CharCheckpoint.save(t, to: paths[i])
        }
        func mixed() throws -> String {
            let (a, b) = try Blend.load(paths[0], paths[1])
            return try MixedModelTests.write(MixedModel(a, b), lines: 3, seed: 9, prompt: "the")
        }
        let first = try mixed()
        XCTAssertEqual(first, try mixed())
        XCTAssertTrue(first.hasPrefix("the"), first)
        XCTAssertEqual(first.filter { $0 == "\n" }.count, 2, first)
    }

    func testLoaderErrorsNameTheFile() throws {
        let dir = try tempDir()
        let missing = dir + "/nope.safetensors"
        XCTAssertThrowsError(try ModelLoader.load(missing)) { XCTAssertEqual("\($0)", "\(missing): no such file") }
        let word = dir + "/word.safetensors", char = dir + "/char.safetensors", other = dir + "/other.safetensors"
        try SafeTensors.write([], metadata: ["format": "lyrics-word-model"], to: word)
        try SafeTensors.write([], metadata: ["format": "something-else"], to: other)
        var o = CharTrainingOptions()
        o.batch = 1; o.sequenceLength = 2
        let ids = CharVocabulary(text: "ab\n").encode("ab\nab\n").ids
        try CharCheckpoint.save(CharTrainer(config: CharModelConfig(layers: 1, hiddenSize: 4, embeddingSize: 2),
                                            vocabulary: CharVocabulary(text: "ab\n"), options: o, train: ids, valid: ids), to: char)
        XCTAssertThrowsError(try Blend.load(char, word)) { e in
            XCTAssertEqual("\(e)", "\(word): is a word model but \(char) is a char model; blend two models of one kind")
        }
        XCTAssertThrowsError(try ModelLoader.load(other)) { e in
            XCTAssertEqual("\(e)", "\(other): not a lyrics char or word model checkpoint (format 'something-else')")
        }
        XCTAssertFalse("\((try? ModelLoader.load(other)) == nil)".contains("\n"))
    }
}
