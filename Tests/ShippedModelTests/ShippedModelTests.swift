import Foundation
import Generation
import LyricsCore
import Models
import TestSupport
import XCTest

/// The models in models/ load with this code and write; the tool finds them (and the bundled
/// corpora and evaluation sets) when run from any directory.
final class ShippedModelTests: XCTestCase {
    static let root = LyricsExecutable.repositoryRoot

    func testEachShippedModelLoadsAndWrites() throws {
        for name in ["word", "char"] {
            let path = Self.root.appendingPathComponent(ModelLoader.shipped[name]!).path
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), "\(path) is missing")
            let model = try ModelLoader.load(path)
            let r = try Generator.generate(model, GenerationRequest(prompt: "the night", stop: StopConditions(maxTokens: 400, lines: 4),
                                                                   sampling: SamplingSettings(temperature: 0.8, topK: name == "word" ? 10 : nil), seed: 3))
            let lines = r.generated.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.count, 4, "\(name): \(r.generated)")
            XCTAssertTrue(r.text.hasPrefix("the night"))
            XCTAssertFalse(r.text.contains("<unk>"))
            // Weights only: nothing to resume from.
            let file = try SafeTensorsHeader.metadata(path)
            XCTAssertNil(file["options"], "\(name) model ships training state")
        }
    }

    func testGenerateAndEvaluateWorkFromAnyDirectory() throws {
        let exe = try LyricsExecutable.orSkip(for: Self.self)
        let elsewhere = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("anywhere-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let g = try LyricsExecutable.run(exe, ["generate", "--lines", "8", "--seed", "1"], in: elsewhere)
        XCTAssertEqual(g.status, 0, g.err)
        // The default form: 8 lines in two rhymed stanzas of 4.
        let written = g.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(written.filter { !$0.isEmpty }.count, 8, g.out)
        XCTAssertEqual(written.count, 9, g.out)
        let c = try LyricsExecutable.run(exe, ["generate", "--model", "char", "--lines", "2", "--seed", "1"], in: elsewhere)
        XCTAssertEqual(c.status, 0, c.err)
        let e = try LyricsExecutable.run(exe, ["vectors", "evaluate", "--json"], in: elsewhere)
        XCTAssertEqual(e.status, 0, e.err)
        XCTAssertTrue(e.out.contains("\"analogies\""), e.out)
        let bad = try LyricsExecutable.run(exe, ["generate", "--model", "missing.safetensors"], in: elsewhere)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertEqual(bad.err, "error: missing.safetensors: no such file\n")
    }
}

/// Reads a safetensors file's metadata without the tensors (the shipped files are large).
enum SafeTensorsHeader {
    static func metadata(_ path: String) throws -> [String: String] {
        let h = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? h.close() }
        let n = h.readData(ofLength: 8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        let json = try JSONSerialization.jsonObject(with: h.readData(ofLength: Int(UInt64(littleEndian: n)))) as? [String: Any]
        return json?["__metadata__"] as? [String: String] ?? [:]
    }
}
