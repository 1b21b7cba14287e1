import Foundation
import TestSupport
import XCTest

/// `lyrics export` (how the shipped models are made) and `lyrics songwriting-bench` (the
/// songwriting figures in the README), end to end on the shared tiny models.
final class ExportAndBenchCommandTests: XCTestCase {
    /// An export keeps the weights: it writes the same text as its checkpoint for a seed, is
    /// smaller (no optimizer state), and cannot be resumed.
    func testExportWritesLikeItsCheckpointAndCannotResume() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        for (kind, model, vectorsName) in [("char", fixture.char, nil), ("word", fixture.word, "vectors.bin")] as [(String, String, String?)] {
            let out = "\(kind)-export.safetensors"
            var args = ["export", "--model", model, "--output", out]
            if let vectorsName {
                args += ["--vectors-name", vectorsName]
                try FileManager.default.copyItem(atPath: fixture.vectors, toPath: dir.appendingPathComponent(vectorsName).path)
            }
            let r = try CLI.run(args, in: dir)
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertTrue(r.out.hasPrefix("wrote \(out) ("), r.out)
            XCTAssertTrue(r.out.hasSuffix(" MB, weights only)\n"), r.out)
            let size = { (p: String) in (try FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
            XCTAssertLessThan(try size(dir.appendingPathComponent(out).path), try size(model))

            // fp32: the checkpoint's current weights and the export's best ones differ in the 5th digit, which bf16
            // rounding can turn into another draw.
            let write = [kind, "generate", "--prompt", "the night", "--words", "6", "--seed", "4", "--threads", "1", "--precision", "fp32"]
            let original = try CLI.run(write + ["--model", model], in: dir)
            let exported = try CLI.run(write + ["--model", out], in: dir)
            XCTAssertEqual(original.status, 0, original.err)
            XCTAssertEqual(exported.status, 0, exported.err)
            XCTAssertEqual(exported.out, original.out)

            let resume = try CLI.run([kind, "train", "--resume", out], in: dir)
            CLI.assertOneLineError(resume, out + ": ", contains: "weights only")
        }
        try CLI.write("not a model\n", dir.appendingPathComponent("notes.txt"))
        CLI.assertOneLineError(try CLI.run(["export", "--model", "notes.txt", "--output", "x.safetensors"], in: dir), "notes.txt: ")
        XCTAssertFalse(CLI.files(in: dir).contains("x.safetensors"))
    }

    /// Every model gets one row per setting, with rates in [0, 1] and the judge and copy columns
    /// when asked; a seed repeats the figures.
    func testSongwritingBenchRowsAreCompleteAndRepeatable() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        let args = ["songwriting-bench", "--model", fixture.char, "--model", fixture.word, "--stanzas", "1", "--candidates", "3",
                    "--judge", fixture.char, "--corpus", fixture.corpus, "--cache", dir.path, "--seed", "2", "--threads", "1", "--json"]
        func rows() throws -> [[String: Any]] {
            let r = try CLI.run(args, in: dir)
            XCTAssertEqual(r.status, 0, r.err)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]], r.out)
        }
        let first = try rows()
        let settings = ["unconstrained", "AABB", "ABAB", "syllables 8", "AABB+8"]
        XCTAssertEqual(first.map { $0["setting"] as? String }, settings + settings)
        XCTAssertEqual(first.map { $0["model"] as? String }, Array(repeating: fixture.char, count: 5) + Array(repeating: fixture.word, count: 5))
        for row in first {
            for key in ["rhymeAccuracy", "syllableAccuracy", "copyRate"] {
                let x = try XCTUnwrap(row[key] as? Double, "\(key) missing: \(row)")
                XCTAssertTrue((0...1).contains(x), "\(key) \(x)")
            }
            XCTAssertGreaterThan(try XCTUnwrap(row["judgeBitsPerChar"] as? Double, "\(row)"), 0)
            XCTAssertEqual((row["metrics"] as? [String: Any])?["lines"] as? Int, 4)
        }
        func timeless(_ rows: [[String: Any]]) throws -> String {
            let data = try JSONSerialization.data(withJSONObject: rows.map { $0.filter { $0.key != "secondsPerStanza" } }, options: .sortedKeys)
            return String(decoding: data, as: UTF8.self)
        }
        XCTAssertEqual(try timeless(try rows()), try timeless(first))
        CLI.assertOneLineError(try CLI.run(["songwriting-bench", "--model", fixture.char, "--stanzas", "0"], in: dir), "--stanzas: ")
    }
}
