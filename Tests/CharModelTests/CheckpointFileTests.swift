import Foundation
import TestSupport
import XCTest
import LyricsCore
@testable import CharModel
@testable import NeuralNet

/// Checkpoint files: readable by Python's safetensors, and every kind of bad file is a one-line
/// LyricsError naming the file.
final class CheckpointFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        BLAS.setThreads(1)
        dir = try temporaryFolder("ckpt")
    }

    func savedCheckpoint() throws -> (String, CharTrainer) {
        let config = CharModelConfig(cell: .gru, layers: 1, hiddenSize: 8, embeddingSize: 4)
        var o = CharTrainingOptions()
        o.batch = 2; o.sequenceLength = 8; o.epochs = 1; o.evalEvery = 1000
        let t = try CharTrainer(config: config, vocabulary: TinyText.vocabulary, options: o, train: TinyText.ids, valid: TinyText.ids)
        try t.run(maxSteps: 3)
        let path = dir.appendingPathComponent("m.safetensors").path
        try CharCheckpoint.save(t, to: path)
        return (path, t)
    }

    func expectError(_ path: String, contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try CharCheckpoint.load(path), file: file, line: line) { error in
            guard let e = error as? LyricsError else { return XCTFail("not a LyricsError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.file, path, file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), file: file, line: line)
            XCTAssertTrue(e.problem.contains(fragment), "\(e.problem)", file: file, line: line)
        }
    }

    func testRoundTripRestoresWeights() throws {
        let (path, t) = try savedCheckpoint()
        let loaded = try CharCheckpoint.load(path)
        XCTAssertEqual(loaded.config, t.model.config)
        XCTAssertEqual(loaded.vocabulary, t.model.vocabulary)
        // As a model, a training checkpoint is its best weights (what `export` writes).
        let m = try CharCheckpoint.model(loaded, batch: 1, maxSteps: 1)
        XCTAssertEqual(m.parameters.values.array, t.bestParameters.array)
        XCTAssertEqual(m.parameters.count, t.model.parameters.count)
    }

    func testBadFilesGiveOneLineErrors() throws {
        let (path, _) = try savedCheckpoint()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        func variant(_ name: String, _ bytes: Data) throws -> String {
            let p = dir.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: p))
            return p
        }
        expectError(try variant("truncated-data", data.prefix(data.count - 10)), contains: "truncated")
        expectError(try variant("truncated-header", data.prefix(40)), contains: "truncated")
        expectError(try variant("tiny", data.prefix(3)), contains: "not a safetensors file")
        expectError(try variant("empty", Data()), contains: "not a safetensors file")
        expectError(try variant("text", Data("hello world, this is not a model at all".utf8)), contains: "safetensors")
        expectError(dir.appendingPathComponent("missing").path, contains: "no such file")

        // A valid safetensors file from someone else.
        let foreign = dir.appendingPathComponent("foreign.safetensors").path
        let w: [Float] = [1, 2, 3]
        try w.withUnsafeBufferPointer {
            try SafeTensors.write([.init(name: "weight", shape: [3], values: $0)], metadata: ["format": "pt"], to: foreign)
        }
        expectError(foreign, contains: "not a lyrics char model")

        // Our file with another format version.
        let file = try SafeTensors.File(path: path)
        let m = try CharCheckpoint.model(CharCheckpoint.load(path), batch: 1, maxSteps: 1)
        var meta = file.metadata
        meta["version"] = "99"
        let future = dir.appendingPathComponent("future.safetensors").path
        try SafeTensors.write(SequenceCheckpoint.parameterTensors(m.parameters), metadata: meta, to: future)
        expectError(future, contains: "version 99")
    }

    func testMissingTensorIsReported() throws {
        let (path, _) = try savedCheckpoint()
        let file = try SafeTensors.File(path: path)
        let m = try CharCheckpoint.model(CharCheckpoint.load(path), batch: 1, maxSteps: 1)
        let partial = dir.appendingPathComponent("partial.safetensors").path
        try SafeTensors.write(Array(SequenceCheckpoint.parameterTensors(m.parameters).dropLast()), metadata: file.metadata, to: partial)
        expectError(partial, contains: "is missing")
        // A configuration that does not match the tensors is refused before anything is allocated.
        var meta = file.metadata
        meta["config"] = #"{"cell":"gru","dropout":0,"embeddingSize":4,"hiddenSize":100000000,"layers":1}"#
        let huge = dir.appendingPathComponent("huge.safetensors").path
        try SafeTensors.write(SequenceCheckpoint.parameterTensors(m.parameters), metadata: meta, to: huge)
        expectError(huge, contains: "shape")
    }

    func testParameterShapesMatchModels() {
        for cell in CellKind.allCases {
            for dropout: Float in [0, 0.3] {
                let config = CharModelConfig(cell: cell, layers: 3, hiddenSize: 5, embeddingSize: 4, dropout: dropout)
                let m = CharModel(config: config, vocabulary: TinyText.vocabulary, batch: 1, maxSteps: 1, seed: 1)
                let expected = CharModel.parameterShapes(config: config, vocabularySize: TinyText.vocabulary.count)
                XCTAssertEqual(expected.map(\.0), m.parameters.entries.map(\.name))
                XCTAssertEqual(expected.map(\.1), m.parameters.entries.map(\.shape))
            }
        }
    }

    /// Python's reference `safetensors` package must open our checkpoints and see the same values.
    func testPythonSafetensorsOpensCheckpoint() throws {
        let (path, t) = try savedCheckpoint()
        let script = """
        import sys, json
        try:
            from safetensors.numpy import load_file
            from safetensors import safe_open
        except ImportError:
            print("NO_SAFETENSORS"); sys.exit(0)
        tensors = load_file(sys.argv[1])
        with safe_open(sys.argv[1], framework="numpy") as f:
            meta = f.metadata()
        out = {"format": meta["format"], "names": sorted(tensors),
               "emb": [int(x) for x in tensors["embedding.table"].view("<u4").ravel()[:5]],
               "shape": list(tensors["embedding.table"].shape), "vocab": meta["vocabulary"]}
        print(json.dumps(out))
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { throw XCTSkip("python3 is not available, so the safetensors interoperability check was skipped") }
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus == 127 { throw XCTSkip("python3 is not installed, so the safetensors interoperability check was skipped") }
        let text = String(decoding: out, as: UTF8.self)
        if text.contains("NO_SAFETENSORS") {
            throw XCTSkip("python3 has no safetensors package (pip install safetensors), so the interoperability check was skipped")
        }
        XCTAssertEqual(p.terminationStatus, 0, text)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: out) as? [String: Any])
        XCTAssertEqual(obj["format"] as? String, CharCheckpoint.format)
        XCTAssertEqual(obj["vocab"] as? String, TinyText.vocabulary.string)
        XCTAssertEqual(obj["shape"] as? [Int], [TinyText.vocabulary.count, 4])
        let names = try XCTUnwrap(obj["names"] as? [String])
        XCTAssertTrue(names.contains("optimizer.adam.m"))
        XCTAssertTrue(names.contains("rnn.0.gru.Wh"))
        let bits = try XCTUnwrap(obj["emb"] as? [Int])
        let ours = Array(t.model.parameters.values(of: "embedding.table")!.prefix(5)).map { Int($0.bitPattern) }
        XCTAssertEqual(bits, ours, "Python must read the same Float32 bits")
    }
}
