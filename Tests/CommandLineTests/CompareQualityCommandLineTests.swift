import Foundation
import XCTest
import LyricsCore
import TestSupport

/// `lyrics compare` end to end on a tiny corpus: every word row carries its retrieval rules and
/// the unigram baseline, every model its sample-quality figures (after the held-out reference,
/// judged by an independent char model), in JSON, stdout and the report.
final class CompareQualityCommandLineTests: XCTestCase {
    /// 1000 lines (so the block split has a test part) of a small vocabulary, short and long.
    static func corpus() -> String {
        let words = ["the", "night", "sea", "gold", "light", "over", "deep", "and", "my", "love", "is", "cold", "fire", "rain"]
        var rng = SeededRandom(seed: 11)
        return (0..<1000).map { _ in
            (0..<(3 + Int(rng.next() % 6))).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    func testCompareReportsRetrievalAndSampleQuality() throws {
        let exe = try LyricsExecutable.orSkip(for: Self.self)
        let dir = URL(fileURLWithPath: Tiny.tempDir())
        try Self.corpus().write(to: dir.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
        func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) { try LyricsExecutable.run(exe, args, in: dir) }
        var r = try run(["vectors", "train", "--corpus", "c.txt", "--part", "train", "--out", "v", "--dimensions", "8",
                         "--epochs", "1", "--min-count", "2", "--threads", "1", "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        r = try run(["word", "train", "--corpus", "c.txt", "--vectors", "v.bin", "--hidden", "8", "--layers", "1", "--batch", "4",
                     "--seq-length", "5", "--epochs", "0.02", "--threads", "1", "--quiet", "--output", "w.safetensors"])
        XCTAssertEqual(r.status, 0, r.err)
        for (name, seed) in [("char", "1"), ("judge", "2")] {
            r = try run(["char", "train", "--corpus", "c.txt", "--hidden", "8", "--layers", "1", "--batch", "4", "--seq-length", "8",
                         "--steps", "2", "--threads", "1", "--seed", seed, "--quiet", "--output", name + ".safetensors"])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let common = ["compare", "--corpus", "c.txt", "--char", "char.safetensors", "--word", "w.safetensors", "--threads", "1",
                      "--speller-order", "4", "--judge", "judge.safetensors", "--quality-lines", "3", "--sample-lines", "2",
                      "--originality-cache", "cache"]
        r = try run(common + ["--no-report", "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let table = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(table.count, 3)   // char, word × 2 spellers

        for row in table where row["kind"] as? String == "word-vmf" {
            let rules = try XCTUnwrap(row["retrieval"] as? [[String: Any]])
            // A finished run (not --steps) has its prior rule fitted.
            guard rules.count == 3 else { return XCTFail("\(rules)") }
            XCTAssertEqual(rules.map { $0["rule"] as? String }, ["cosine", "prior", "unigram"])
            // The cosine rule is the row's own accounting.
            XCTAssertEqual(rules[0]["top10HitRate"] as? Double, row["top10HitRate"] as? Double)
            XCTAssertEqual(rules[0]["bitsPerCharacter"] as? Double ?? 0, row["bitsPerCharacter"] as? Double ?? 1, accuracy: 1e-3)
            XCTAssertEqual(rules[2]["distinctCandidates"] as? Int, 10)
            for rule in rules {
                let rate = try XCTUnwrap(rule["top10HitRate"] as? Double)
                XCTAssertTrue(rate > 0 && rate <= 1, "\(rule)")
                XCTAssertGreaterThanOrEqual(rule["distinctCandidates"] as? Int ?? 0, 10)
            }
        }
        XCTAssertNil(table[0]["retrieval"])   // the char model has no retrieval rule

        for row in table {
            let samples = try XCTUnwrap(row["samples"] as? [[String: Any]], "\(row["kind"] ?? "")")
            let reference = samples[0]
            XCTAssertEqual(reference["source"] as? String, "held-out")
            XCTAssertNil(reference["temperature"])
            XCTAssertGreaterThan(reference["judgeBitsPerCharacter"] as? Double ?? 0, 0)
            XCTAssertNotNil(reference["trainingLineShare"] as? Double)
            let written = samples.dropFirst()
            let isWord = row["kind"] as? String == "word-vmf"
            XCTAssertEqual(written.count, isWord ? 4 : 2)   // 2 temperatures × (cosine, prior) or × 1
            XCTAssertEqual(written.map { $0["temperature"] as? Double }, isWord ? [0.7, 1.0, 0.7, 1.0] : [0.7, 1.0])
            XCTAssertEqual(written.map { $0["retrieval"] as? String }, isWord ? ["cosine", "cosine", "prior", "prior"] : [nil, nil])
            for s in written {
                XCTAssertEqual(s["source"] as? String, "samples")
                // Non-empty lines of the 3 written (an untrained model may write an empty one).
                XCTAssertTrue((1...3).contains(s["lines"] as? Int ?? 0), "\(s)")
                for key in ["wordsPerLine", "distinct1", "repeatedLineShare", "repeatedWordLineShare", "judgeBitsPerCharacter", "trainingLineShare"] {
                    XCTAssertNotNil(s[key] as? Double, "\(key) in \(s)")
                }
                XCTAssertNotNil(s["longestTrainingRun"] as? Int)
            }
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cache").path))

        // Text tables and the report.
        r = try run(common + ["--report-dir", "report"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("unigram (10 most frequent training words)"), r.out)
        XCTAssertTrue(r.out.contains("lines repeating a word >2x"), r.out)
        let md = try String(contentsOf: dir.appendingPathComponent("report/comparison.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("## Sample quality"), md)
        XCTAssertTrue(md.contains("distinct candidates"), md)
        XCTAssertTrue(md.contains("retrieval cosine"), md)

        r = try run(common + ["--quality-lines", "1", "--no-report"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.err.contains("--quality-lines"), r.err)
    }
}
