import Foundation
import Generation
import Hummingbird
import HummingbirdTesting
import Songwriting
import TestSupport
import XCTest
@testable import LyricsServer

/// The studio's JSON API (/api/studio/*): answers in the shapes /openapi.json describes, the
/// same validation as /api/generate (4xx naming the field, the body limit), and the page's
/// files served from the module's resources.
final class StudioAPITests: XCTestCase {
    func app(index: OriginalityIndex? = nil) -> some ApplicationProtocol {
        let songs = TokenModelGenerator(name: "w", kind: .word, summary: "scripted", make: { ScriptedWordModel(words: SongAPITests.words) })
        return LyricsServer.makeApplication(generators: [songs, EchoGenerator(name: "echo")], port: 0, index: index)
    }

    func call(_ client: some TestClientProtocol, _ path: String, _ json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json)) { r in
            (r.status, (try? JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]) ?? [:])
        }
    }

    static let draft = #""model":"w","rhyme":"AABB","structure":"verse chorus verse chorus","partLines":"verse=2,chorus=2","song":[["i see the light"]]"#

    func testActionsAnswerInTheirShapes() async throws {
        let pron = try Pronunciations.shared
        try await app().test(.live) { client in
            let (s1, alts) = try await self.call(client, "/api/studio/alternatives", #"{\#(Self.draft),"stanza":0,"line":1,"seed":3,"temperature":1,"theme":"the sea"}"#)
            XCTAssertEqual(s1, .ok, "\(alts)")
            XCTAssertEqual(alts["seed"] as? Int, 3)
            XCTAssertEqual((alts["goal"] as? [String: Any])?["rhymeWith"] as? String, "light")
            let candidates = try XCTUnwrap(alts["candidates"] as? [[String: Any]])
            XCTAssertEqual(candidates.count, 5)
            for c in candidates {
                let end = try XCTUnwrap(c["rhymeWord"] as? String)
                XCTAssertTrue(pron.rhymes(end, "light"), "\(c)")
                XCTAssertEqual(c["missed"] as? [String], [])
            }
            let (s2, next) = try await self.call(client, "/api/studio/next-words", #"{\#(Self.draft),"stanza":0,"line":1,"text":"my heart","count":4}"#)
            XCTAssertEqual(s2, .ok, "\(next)")
            let tokens = try XCTUnwrap(next["tokens"] as? [[String: Any]])
            XCTAssertEqual(tokens.count, 4)
            let ps = tokens.compactMap { $0["probability"] as? Double }
            XCTAssertEqual(ps, ps.sorted(by: >))
            XCTAssertLessThanOrEqual(ps.reduce(0, +) + (next["endOfLine"] as? Double ?? 1), 1 + 1e-9)
            XCTAssertFalse(tokens.contains { ["\n", "<unk>"].contains($0["token"] as? String) })
            let (s3, rhymes) = try await self.call(client, "/api/studio/rhymes", #"{\#(Self.draft),"stanza":0,"line":1,"word":"day","text":"my heart"}"#)
            XCTAssertEqual(s3, .ok, "\(rhymes)")
            let words = try XCTUnwrap(rhymes["rhymes"] as? [[String: Any]]).compactMap { $0["word"] as? String }
            XCTAssertEqual(Set(words), ["a", "way", "say", "play", "stay"], "\"a\" can be said as \"ay\"")
            let (s4, analysis) = try await self.call(client, "/api/studio/analyze", #"{\#(Self.draft)}"#)
            XCTAssertEqual(s4, .ok, "\(analysis)")
            let stanzas = try XCTUnwrap(analysis["stanzas"] as? [[String: Any]])
            XCTAssertEqual(stanzas.map { $0["label"] as? String }, ["[Verse]", "[Chorus]", "[Verse]", "[Chorus]"])
            XCTAssertEqual(stanzas.map { $0["repeats"] as? Int }, [nil, nil, nil, 1])
            let first = try XCTUnwrap((analysis["lines"] as? [[[String: Any]]])?.first?.first)
            XCTAssertEqual(first["syllables"] as? Int, 4)
            XCTAssertEqual(first["letter"] as? String, "A")
        }
    }

    func testBadStudioRequestsGet4xxNamingTheField() async throws {
        let long = String(repeating: "la ", count: 120)
        let many = "[" + Array(repeating: #"["a"]"#, count: 201).joined(separator: ",") + "]"
        let cases: [(String, String, HTTPResponse.Status, String)] = [
            ("alternatives", #"{\#(Self.draft),"stanza":9}"#, .badRequest, "stanza: 9 is not a stanza of this song"),
            ("alternatives", #"{\#(Self.draft),"stanza":3}"#, .badRequest, "stanza: 3 repeats stanza 1 (chorus)"),
            ("alternatives", #"{\#(Self.draft),"line":2}"#, .badRequest, "line: 2 is not a line of stanza 0"),
            ("alternatives", #"{\#(Self.draft),"count":0}"#, .badRequest, "count must be between 1 and 20"),
            ("next-words", #"{\#(Self.draft),"count":51}"#, .badRequest, "count must be between 1 and 50"),
            ("alternatives", #"{\#(Self.draft),"start":"\#(long)"}"#, .badRequest, "start: 360 characters"),
            ("analyze", #"{"model":"w","song":[["\#(long)"]]}"#, .badRequest, "song[0][0]: line is 360 characters"),
            ("analyze", #"{"model":"w","song":\#(many)}"#, .badRequest, "song: 201 lines"),
            ("analyze", #"{"model":"w","song":"la"}"#, .badRequest, "wrong type for 'song'"),
            ("analyze", #"{"model":"w","rhyme":"A1"}"#, .badRequest, "rhyme: unknown scheme character '1'"),
            ("analyze", #"{"model":"w","temperature":9}"#, .badRequest, "temperature must be between"),
            ("analyze", #"{"model":"w","maxCopy":5}"#, .badRequest, "maxCopy needs a training text"),
            ("rhymes", #"{\#(Self.draft),"line":1}"#, .badRequest, "word: give the one word"),
            ("rhymes", #"{\#(Self.draft),"line":1,"word":"two words"}"#, .badRequest, "word: give the one word"),
            ("alternatives", #"{"model":"nope"}"#, .notFound, "unknown model 'nope'"),
            ("alternatives", #"{"song":[]}"#, .badRequest, "missing field 'model'"),
            ("next-words", #"{not json"#, .badRequest, "malformed JSON"),
            ("alternatives", #"{"model":"echo"}"#, .unprocessableContent, "cannot co-write"),
        ]
        try await app().test(.live) { client in
            for (action, body, status, message) in cases {
                let (got, obj) = try await self.call(client, "/api/studio/" + action, body)
                XCTAssertEqual(got, status, "\(action) \(body.prefix(120))")
                XCTAssertTrue((obj["error"] as? String ?? "").contains(message), "\(action) \(body.prefix(120)) -> \(obj)")
            }
            let huge = String(repeating: "x", count: 100_000)
            let (got, obj) = try await self.call(client, "/api/studio/alternatives", #"{"model":"w","start":"\#(huge)"}"#)
            XCTAssertEqual(got, .contentTooLarge)
            XCTAssertEqual(obj["error"] as? String, "request body is larger than 64 KiB")
        }
    }

    /// Every API path the page's script calls is in /openapi.json, and every path there is
    /// routed (a request with only a model gets no 404).
    func testOpenAPIDescribesEveryPathThePageUses() async throws {
        try await app().test(.live) { client in
            let doc = try await client.execute(uri: "/openapi.json", method: .get) { r -> [String: Any] in
                XCTAssertEqual(r.headers[.contentType], "application/json")
                return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
            }
            XCTAssertEqual(doc["openapi"] as? String, "3.1.0")
            // The model field lists this server's models, in their order (word models first).
            let schemas = try XCTUnwrap((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let fields = try XCTUnwrap(schemas["StudioRequest"] as? [String: Any])
            let model = try XCTUnwrap((fields["properties"] as? [String: Any])?["model"] as? [String: Any])
            XCTAssertEqual(model["enum"] as? [String], ["w", "echo"])
            let paths = try XCTUnwrap(doc["paths"] as? [String: [String: Any]])
            let script = try await client.execute(uri: "/studio.js", method: .get) { r -> String in
                XCTAssertEqual(r.headers[.contentType], "text/javascript; charset=utf-8")
                return String(buffer: r.body)
            }
            let used = Set(script.matches(of: #/'(/api/[a-z/-]+)'/#).map { String($0.output.1) })
            XCTAssertEqual(used, ["/api/models", "/api/studio/analyze", "/api/studio/alternatives", "/api/studio/next-words", "/api/studio/rhymes"])
            XCTAssertTrue(used.isSubset(of: paths.keys), "not in /openapi.json: \(used.subtracting(paths.keys))")
            for (path, ops) in paths {
                let method: HTTPRequest.Method = ops["post"] != nil ? .post : .get
                let status = try await client.execute(uri: path, method: method, body: ByteBuffer(string: #"{"model":"w","word":"day"}"#)) { $0.status }
                XCTAssertEqual(status.code / 100, 2, "\(method) \(path): \(status)")
            }
        }
    }

    func testPageFilesAreServed() async throws {
        try await app().test(.live) { client in
            for (path, type, marker) in [("/", "text/html; charset=utf-8", #"<script src="/studio.js">"#),
                                         ("/studio.css", "text/css; charset=utf-8", "input.line"),
                                         ("/classic", "text/html; charset=utf-8", #"<button id="go">"#)] {
                try await client.execute(uri: path, method: .get) { r in
                    XCTAssertEqual(r.status, .ok, path)
                    XCTAssertEqual(r.headers[.contentType], type, path)
                    XCTAssertTrue(String(buffer: r.body).contains(marker), path)
                }
            }
        }
    }
}
