import Foundation
import Generation
import Hummingbird
import HummingbirdTesting
import Songwriting
import TestSupport
import XCTest
@testable import LyricsServer

/// `POST /api/generate` with songwriting fields: per-line info (rhyme words, partners, syllables,
/// missed constraints), copies flagged when the server has an index, and 400 for bad fields.
final class SongAPITests: XCTestCase {
    static let words = ["the", "i", "see", "a", "my", "heart", "is", "river", "morning", "golden",
                        "night", "light", "bright", "sight", "fight", "day", "way", "say", "play", "stay"]

    func app(index: OriginalityIndex? = nil) -> some ApplicationProtocol {
        let songs = TokenModelGenerator(name: "w", kind: .word, summary: "scripted", make: { ScriptedWordModel(words: Self.words) })
        return LyricsServer.makeApplication(generators: [songs, EchoGenerator(name: "echo")], port: 0, index: index)
    }

    func testSongWithSchemeAndSyllablesReturnsLineInfo() async throws {
        let pron = try Pronunciations.shared
        try await app().test(.live) { client in
            let (status, obj) = try await self.post(client, #"{"model":"w","rhyme":"AABB","syllables":6,"lines":4,"seed":5,"temperature":1}"#)
            XCTAssertEqual(status, .ok, "\(obj)")
            let lines = try XCTUnwrap(obj["lines"] as? [[String: Any]])
            XCTAssertEqual(lines.count, 4)
            XCTAssertEqual(obj["notes"] as? [String], [])
            for l in lines { XCTAssertEqual(pron.syllables(of: l["text"] as! String), 6, "\(l)") }
            XCTAssertEqual(lines[1]["rhymesWith"] as? Int, 0)
            XCTAssertEqual(lines[3]["rhymesWith"] as? Int, 2)
            XCTAssertEqual(lines[1]["rhymes"] as? Bool, true)
            let a = try XCTUnwrap(lines[0]["rhymeWord"] as? String), b = try XCTUnwrap(lines[1]["rhymeWord"] as? String)
            XCTAssertTrue(pron.rhymes(a, b), "\(a) / \(b)")
            XCTAssertEqual((obj["text"] as? String)?.split(separator: "\n").count, 4)
        }
    }

    /// `meter` makes a song whose lines follow the stresses (and have the pattern's syllables).
    func testSongWithMeterScans() async throws {
        let pron = try Pronunciations.shared
        let pattern = MeterPattern(stresses: [0, 1, 0, 1, 0, 1])
        try await app().test(.live) { client in
            let (status, obj) = try await self.post(client, #"{"model":"w","meter":"010101","lines":4,"seed":2,"temperature":1}"#)
            XCTAssertEqual(status, .ok, "\(obj)")
            let lines = try XCTUnwrap(obj["lines"] as? [[String: Any]])
            XCTAssertEqual(lines.count, 4)
            XCTAssertEqual(obj["notes"] as? [String], [])
            for l in lines {
                let words = (l["text"] as! String).split(separator: " ").map(String.init)
                XCTAssertEqual(pron.meterMisses(words, pattern: pattern), 0, "\(l)")
            }
        }
    }

    func testBadSongFieldsGet400WithTheFieldNamed() async throws {
        try await app().test(.live) { client in
            for (json, message) in [(#"{"model":"w","rhyme":"AB1B"}"#, "rhyme: unknown scheme character '1'"),
                                    (#"{"model":"w","syllables":0}"#, "syllables: 0 is out of range"),
                                    (#"{"model":"w","syllables":"8,40"}"#, "syllables: 40 is out of range"),
                                    (#"{"model":"w","structure":"verse solo"}"#, "structure: unknown part 'solo'"),
                                    (#"{"model":"w","meter":"iamb"}"#, "meter: 'iamb' is not a meter"),
                                    (#"{"model":"w","meter":"0101","syllables":6}"#, "meter: pattern 0101 has 4 syllables"),
                                    (#"{"model":"w","theme":"12 34"}"#, "theme: give one or more words"),
                                    (#"{"model":"w","choose":0}"#, "choose: must be 1 to 64"),
                                    (#"{"model":"w","rhyme":"AABB","maxCopy":5}"#, "maxCopy needs a training text")] {
                let (status, obj) = try await self.post(client, json)
                XCTAssertEqual(status, .badRequest, json)
                XCTAssertTrue((obj["error"] as? String ?? "").hasPrefix(message), "\(json): \(obj)")
            }
        }
    }

    func testCopiedLinesFlaggedWithTheirSource() async throws {
        let index = OriginalityIndex.build(text: "a line of no interest\nthe quick brown fox jumps over the lazy dog\n")
        try await app(index: index).test(.live) { client in
            // The echo model writes its prompt back: a training line, so it is flagged.
            let (status, obj) = try await self.post(client, #"{"model":"echo","prompt":"the quick brown fox jumps over the lazy dog"}"#)
            XCTAssertEqual(status, .ok, "\(obj)")
            let lines = try XCTUnwrap(obj["lines"] as? [[String: Any]])
            let copied = try XCTUnwrap(lines.first?["copied"] as? [String: Any])
            let run = try XCTUnwrap((copied["runs"] as? [[String: Any]])?.first)
            XCTAssertEqual((run["source"] as? [String: Any])?["line"] as? Int, 2)
            // A song with maxCopy is accepted once the server has an index.
            let (s2, o2) = try await self.post(client, #"{"model":"w","rhyme":"AABB","lines":4,"maxCopy":4,"seed":1}"#)
            XCTAssertEqual(s2, .ok, "\(o2)")
        }
    }
}
