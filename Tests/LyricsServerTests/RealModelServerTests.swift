import Foundation
import Hummingbird
import HummingbirdTesting
import LyricsCore
import Models
import CharModel
import NeuralNet
import TestSupport
import XCTest
@testable import LyricsServer

/// The server over a real (tiny, briefly trained) char-model checkpoint: the loading path users
/// hit, repeatable results for a given random seed, and no interference between concurrent
/// requests that share one loaded model.
final class RealModelServerTests: XCTestCase {
    static func tinyCheckpoint() throws -> String {
        BLAS.setThreads(1)
        let text = TextNormalizer.normalize("shall i compare thee to a summer's day\nthou art more lovely and more temperate\n")
        let vocabulary = CharVocabulary(text: text)
        let ids = vocabulary.encode(text).ids
        var o = CharTrainingOptions()
        o.batch = 2; o.sequenceLength = 8; o.epochs = 2; o.evalEvery = 100; o.patience = 0; o.evalBatch = 1
        let trainer = try CharTrainer(config: CharModelConfig(cell: .lstm, layers: 1, hiddenSize: 8, embeddingSize: 4),
                                      vocabulary: vocabulary, options: o, train: ids, valid: Array(ids.suffix(20)))
        try trainer.run(maxSteps: 5)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).safetensors").path
        try CharCheckpoint.save(trainer, to: path)
        return path
    }

    func testServesCheckpointRepeatablyUnderConcurrency() async throws {
        let path = try Self.tinyCheckpoint()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let app = LyricsServer.makeApplication(generators: [TokenModelGenerator(name: "tiny", model: try ModelLoader.open(path))], port: 0)
        try await app.test(.live) { client in
            let body = #"{"model":"tiny","prompt":"Shall I","length":40,"temperature":1,"topK":5,"seed":11}"#
            let texts = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.execute(uri: "/api/generate", method: .post, body: ByteBuffer(string: body)) { r in
                            XCTAssertEqual(r.status, .ok)
                            let obj = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]
                            return obj?["text"] as? String ?? ""
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            XCTAssertEqual(Set(texts).count, 1, "same seed, same text, whatever runs alongside")
            XCTAssertTrue(texts[0].hasPrefix("shall i"), texts[0])
            XCTAssertEqual(texts[0].utf8.count, "shall i".utf8.count + 40)
        }
    }

    func testUnreadableCheckpointIsAClearError() throws {
        let path = try temporaryFolder().appendingPathComponent("bad.safetensors").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("not a model".utf8)))
        do {
            _ = try ModelLoader.open(path)
            XCTFail("a file that is not a checkpoint must be refused")
        } catch {
            XCTAssertTrue("\(error)".hasPrefix(path + ":"), "\(error)")
        }
    }
}
