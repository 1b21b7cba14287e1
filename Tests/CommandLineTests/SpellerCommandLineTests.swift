import Foundation
import XCTest
import LyricsCore
import TestSupport

/// `lyrics word evaluate --speller` and `lyrics compare` end to end on a tiny corpus whose rare
/// words fall outside the vocabulary: both spellers are reported, their breakdowns add up, and
/// bad speller options are one-line errors.
final class SpellerCommandLineTests: XCTestCase {
    /// 400 lines of a small vocabulary, every 4th line with a made-up word seen once.
    static func corpus() -> String {
        let common = ["the", "night", "sea", "gold", "light", "over", "deep", "and"]
        var rng = SeededRandom(seed: 5)
        var out = ""
        for i in 0..<400 {
            var line = (0..<6).map { _ in common[Int(rng.next() % UInt64(common.count))] }
            if i % 4 == 0 {
                let letters = Array("abcdefghijklmnopqrstuvwxyz'")
                line.append(String((0..<(3 + Int(rng.next() % 5))).map { _ in letters[Int(rng.next() % 26)] }))
            }
            out += line.joined(separator: " ") + "\n"
        }
        return out
    }

    func testEvaluateAndCompareWithBothSpellers() throws {
        let exe = try LyricsExecutable.orSkip(for: Self.self)
        let dir = URL(fileURLWithPath: Tiny.tempDir())
        try Self.corpus().write(to: dir.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
        func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) { try LyricsExecutable.run(exe, args, in: dir) }
        var r = try run(["vectors", "train", "--corpus", "c.txt", "--part", "all", "--out", "v", "--dimensions", "8",
                         "--epochs", "1", "--min-count", "2", "--threads", "1", "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        r = try run(["word", "train", "--corpus", "c.txt", "--vectors", "v.bin", "--hidden", "8", "--layers", "1", "--batch", "4",
                     "--seq-length", "5", "--steps", "3", "--threads", "1", "--quiet", "--output", "w.safetensors"])
        XCTAssertEqual(r.status, 0, r.err)

        var rows = [String: [String: Any]]()
        for speller in ["unigram", "ngram"] {
            r = try run(["word", "evaluate", "--corpus", "c.txt", "--part", "all", "--model", "w.safetensors", "--threads", "1",
                         "--speller", speller, "--speller-order", "4", "--json"])
            XCTAssertEqual(r.status, 0, r.err)
            let row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
            XCTAssertEqual(row["speller"] as? String, speller)
            XCTAssertEqual(row["unknownTokens"] as? Int, 100)
            let parts = ["inVocabularyBitsPerCharacter", "newlineBitsPerCharacter", "unknownBitsPerCharacter", "spellingBitsPerCharacter"]
                .map { row[$0] as? Double ?? .nan }
            XCTAssertEqual(parts.reduce(0, +), try XCTUnwrap(row["bitsPerCharacter"] as? Double), accuracy: 1e-9)
            rows[speller] = row
        }
        // The spellers change only the spelling part.
        XCTAssertEqual(rows["unigram"]?["inVocabularyBitsPerCharacter"] as? Double, rows["ngram"]?["inVocabularyBitsPerCharacter"] as? Double)
        XCTAssertNotEqual(rows["unigram"]?["spellingBitsPerCharacter"] as? Double, rows["ngram"]?["spellingBitsPerCharacter"] as? Double)

        r = try run(["compare", "--corpus", "c.txt", "--part", "all", "--word", "w.safetensors", "--threads", "1", "--no-report", "--json",
                     "--speller-order", "4"])
        XCTAssertEqual(r.status, 0, r.err)
        let table = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(table.compactMap { $0["speller"] as? String }, ["unigram", "ngram"])
        XCTAssertEqual(table[1]["bitsPerCharacter"] as? Double ?? 0, rows["ngram"]?["bitsPerCharacter"] as? Double ?? 1, accuracy: 1e-9)
        r = try run(["compare", "--corpus", "c.txt", "--part", "all", "--word", "w.safetensors", "--threads", "1", "--no-report"])
        XCTAssertTrue(r.out.contains("word LSTM, vMF loss, ngram speller"), r.out)
        XCTAssertTrue(r.out.contains("<unk> (p part)"), r.out)

        for bad in [["--speller-fit", "rare:0"], ["--speller", "bigram"], ["--speller-order", "11"]] {
            r = try run(["word", "evaluate", "--corpus", "c.txt", "--model", "w.safetensors"] + bad)
            // The one error contract: one line `error: <field>: <problem>`, non-zero exit.
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.out.isEmpty)
            XCTAssertTrue(r.err.hasPrefix("error: \(bad[0]): "), r.err)
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        }
    }
}
