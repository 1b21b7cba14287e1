import Foundation
import LyricsCore
import Songwriting
import TestSupport
import XCTest

/// `lyrics char generate --rhyme ...` end to end through the built binary on a tiny char model
/// trained here (a few seconds): the song's shape, rhymes or a note naming the line that missed,
/// JSON, copies flagged against --corpus, and one-line errors for bad songwriting flags.
final class SongCommandTests: XCTestCase {
    var exe: URL!
    var dir: URL!

    override func setUpWithError() throws {
        let exe = try LyricsExecutable.orSkip(for: Self.self)
        self.exe = exe
        dir = try temporaryFolder("song-cli")
        addTeardownBlock { [dir] in try? FileManager.default.removeItem(at: dir!) }
        var rng = SeededRandom(seed: 4)
        let words = ["the", "my", "heart", "is", "in", "and", "we", "go", "sing", "of"]
        let ends = ["night", "light", "bright", "sight", "day", "way", "say", "stay"]
        let lines = (0..<300).map { _ in
            ((0..<(2 + Int(rng.next() % 3))).map { _ in words[Int(rng.next() % UInt64(words.count))] } + [ends[Int(rng.next() % 8)]])
                .joined(separator: " ")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("corpus.txt"))
    }

    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        try LyricsExecutable.run(exe, args, in: dir)
    }

    func testCharGenerateWithRhymeSchemeEndToEnd() throws {
        let train = try run(["char", "train", "--corpus", "corpus.txt", "--output", "tiny.safetensors", "--epochs", "3", "--threads", "1",
                             "--seed", "5", "--hidden", "32", "--embedding", "8", "--batch", "4", "--seq-length", "16", "--quiet"])
        XCTAssertEqual(train.status, 0, train.err)
        let r = try run(["char", "generate", "--model", "tiny.safetensors", "--rhyme", "AABB", "--lines", "8", "--seed", "1",
                         "--candidates", "60", "--corpus", "corpus.txt", "--cache", "cache"])
        XCTAssertEqual(r.status, 0, r.err)
        let stanzas = r.out.components(separatedBy: "\n\n")
        XCTAssertEqual(stanzas.count, 2, r.out)
        let lines = r.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 8, r.out)
        let pron = try Pronunciations.shared
        var rhymed = 0
        for (a, b) in [(0, 1), (2, 3), (4, 5), (6, 7)] {
            let wa = String(lines[a].split(separator: " ").last!), wb = String(lines[b].split(separator: " ").last!)
            if pron.rhymes(wa, wb) { rhymed += 1 } else {
                XCTAssertTrue(r.err.contains("note: line \(b + 1) "), "line \(b + 1) does not rhyme and has no note:\n\(r.out)\n\(r.err)")
            }
        }
        XCTAssertGreaterThanOrEqual(rhymed, 3, r.out + r.err)
        // The training lines are short and repetitive: copies are flagged with their source.
        XCTAssertTrue(r.err.contains("originality index"), r.err)

        let j = try run(["char", "generate", "--model", "tiny.safetensors", "--syllables", "5", "--structure", "verse chorus verse chorus",
                         "--part-lines", "verse=2,chorus=2", "--seed", "2", "--json"])
        XCTAssertEqual(j.status, 0, j.err)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any])
        let info = try XCTUnwrap(doc["lines"] as? [[String: Any]])
        XCTAssertEqual(info.count, 8)
        XCTAssertEqual(info[6]["text"] as? String, info[2]["text"] as? String)
        XCTAssertEqual(info[7]["repeatOf"] as? Int, 3)
        let exact = info.filter { ($0["missed"] as? [String] ?? []).isEmpty }
        for l in exact { XCTAssertEqual(pron.syllables(of: l["text"] as! String), 5, "\(l)") }
    }

    func testBadSongwritingFlagsGiveOneLineErrors() throws {
        let cases: [([String], String)] = [
            (["--rhyme", "AB1B"], "error: --rhyme: unknown scheme character '1' in 'AB1B'; use letters only"),
            (["--syllables", "0"], "error: --syllables: 0 is out of range; give 1 to 30 per line"),
            (["--syllables", "31"], "error: --syllables: 31 is out of range"),
            (["--structure", "verse solo"], "error: --structure: unknown part 'solo'"),
            (["--max-copy", "5"], "error: --max-copy: needs --corpus FILE"),
            (["--rhyme", "AABB", "--words", "20"], "error: a song (--rhyme, --syllables, --structure, --max-copy) is counted in --lines only"),
        ]
        for (flags, message) in cases {
            let r = try run(["char", "generate", "--model", "missing.safetensors"] + flags)
            XCTAssertNotEqual(r.status, 0, flags.joined(separator: " "))
            XCTAssertTrue(r.err.hasPrefix(message), "\(flags): \(r.err)")
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        }
    }
}
