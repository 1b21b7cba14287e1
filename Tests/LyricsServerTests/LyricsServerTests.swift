import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
import Generation
@testable import LyricsServer

/// A deterministic stand-in model: echoes its inputs so tests can see what reached it.
struct EchoGenerator: LyricsGenerator {
    let name: String
    let kind = ModelKind.char
    let summary = "echo"
    func generate(_ r: GenerateRequest) throws -> String {
        if r.prompt == "reject" { throw GenerationInputError("prompt has no known word") }
        return "\(r.prompt)|\(r.length)|\(r.temperature)|\(r.topK.map(String.init) ?? "-")|\(r.topP)|\(r.repetitionPenalty)|\(r.seed ?? 0)"
    }
}

extension XCTestCase {
    /// POSTs `json` to /api/generate: the status and the decoded JSON object.
    func post(_ client: some TestClientProtocol, _ json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/api/generate", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: json)) { response in
            let obj = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
            return (response.status, obj)
        }
    }
}

final class LyricsServerTests: XCTestCase {
    func app() -> some ApplicationProtocol {
        LyricsServer.makeApplication(generators: [EchoGenerator(name: "a"), EchoGenerator(name: "b")], port: 0)
    }

    func testPageAndModelList() async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertTrue(String(buffer: response.body).contains("<select id=\"model\">"))
            }
            try await client.execute(uri: "/api/models", method: .get) { response in
                let models = try JSONDecoder().decode([ModelInfo].self, from: Data(buffer: response.body))
                XCTAssertEqual(models.map(\.name), ["a", "b"])
            }
        }
    }

    func testGenerateRoundTripsAndReturnsSeed() async throws {
        try await app().test(.live) { client in
            let (status, obj) = try await self.post(client, #"{"model":"b","prompt":"the sea","length":5,"temperature":0.5,"topK":3,"topP":0.9,"repetitionPenalty":1.2,"seed":42}"#)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(obj["text"] as? String, "the sea|5|0.5|3|0.9|1.2|42")
            XCTAssertEqual(obj["seed"] as? Int, 42)
            let (status2, obj2) = try await self.post(client, #"{"model":"a","prompt":"x","length":5,"temperature":1,"topK":3}"#)
            XCTAssertEqual(status2, .ok)
            XCTAssertNotNil(obj2["seed"] as? Int, "server must report the random seed it picked")
            // Only the model is required; the rest take the page's defaults.
            let (status3, obj3) = try await self.post(client, #"{"model":"a","seed":1}"#)
            XCTAssertEqual(status3, .ok)
            XCTAssertEqual(obj3["text"] as? String, "|200|0.8|-|1.0|1.0|1")
        }
    }

    func testBadInputGets4xxWithMessage() async throws {
        let long = String(repeating: "a", count: 1_001)
        let cases: [(String, HTTPResponse.Status, String)] = [
            (#"{"model":"nope","prompt":"","length":5,"temperature":1,"topK":3}"#, .notFound, "unknown model 'nope'"),
            (#"{"model":"a","prompt":"\#(long)","length":5,"temperature":1,"topK":3}"#, .badRequest, "prompt is 1001 characters"),
            (#"{"model":"a","prompt":"","length":0,"temperature":1,"topK":3}"#, .badRequest, "length must be between"),
            (#"{"model":"a","prompt":"","length":5,"temperature":-1,"topK":3}"#, .badRequest, "temperature must be between"),
            (#"{"model":"a","prompt":"","length":5,"temperature":1,"topK":0}"#, .badRequest, "topK must be between"),
            (#"{"model":"a","topP":0}"#, .badRequest, "topP must be in (0, 1]"),
            (#"{"model":"a","topP":1.5}"#, .badRequest, "topP must be in (0, 1]"),
            (#"{"model":"a","repetitionPenalty":-1}"#, .badRequest, "repetitionPenalty must be between"),
            (#"{"model":"a","retrieval":"hubs"}"#, .badRequest, "retrieval must be"),
            (#"{"model":"a","prompt":"","length":"many","temperature":1,"topK":3}"#, .badRequest, "wrong type for 'length'"),
            (#"{"prompt":"a"}"#, .badRequest, "missing field 'model'"),
            (#"{not json"#, .badRequest, "malformed JSON"),
            (#"{"model":"a","prompt":"reject","length":5,"temperature":1,"topK":3}"#, .unprocessableContent, "prompt has no known word"),
        ]
        try await app().test(.live) { client in
            for (body, status, message) in cases {
                let (got, obj) = try await self.post(client, body)
                XCTAssertEqual(got, status, body)
                XCTAssertTrue((obj["error"] as? String ?? "").contains(message), "\(body) -> \(obj)")
            }
            // An oversized body is refused without reading it all.
            let huge = String(repeating: "x", count: 200_000)
            let (got, _) = try await self.post(client, #"{"model":"a","prompt":"\#(huge)"}"#)
            XCTAssertEqual(got, .contentTooLarge)
        }
    }

    /// Each request must write on its own model copy: the stub's next letter depends on
    /// everything its copy has read, and it pauses between tokens so that concurrent requests
    /// sharing a copy would interleave and write other texts than they write alone.
    func testConcurrentRequestsAreIndependent() async throws {
        let app = LyricsServer.makeApplication(generators: [TokenModelGenerator(name: "h", kind: .char, summary: "history",
                                                                                make: { HistoryModel() })], port: 0)
        @Sendable func body(_ i: Int) -> String {
            let prompt = String((0...(i % 5)).map { Character(UnicodeScalar(UInt8(97 + ($0 * 7 + i) % 10))) })
            return #"{"model":"h","prompt":"\#(prompt)","length":\#(20 + i),"temperature":0,"seed":1}"#
        }
        // The router test mode: the live client sends its requests one after another on one
        // connection, so only this mode runs them at the same time.
        try await app.test(.router) { client in
            var alone = [String]()
            for i in 0..<12 { alone.append(try await self.post(client, body(i)).1["text"] as? String ?? "") }
            XCTAssertGreaterThan(Set(alone).count, 6, "the stub must write different texts for different prompts")
            try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for i in 0..<12 {
                    group.addTask { (i, try await self.post(client, body(i)).1["text"] as? String) }
                }
                for try await (i, text) in group { XCTAssertEqual(text, alone[i], "request \(i) wrote another text alongside others") }
            }
        }
    }
}

/// A char model whose state is a hash of every token read since `reset`: greedy writing gives
/// one fixed text per prompt, and any token another request feeds the same copy changes it.
/// Each step sleeps briefly so that requests sharing a copy would overlap.
final class HistoryModel: TokenModel {
    let kind = ModelKind.char
    let path = "history"
    let tokens = (0..<10).map { String(UnicodeScalar(UInt8(97 + $0))) } + ["\n"]
    var newlineToken: Int32 { 10 }
    let forbiddenTokens: [Int32] = [10]
    private var state: UInt64 = 0

    func reset() { state = 1469598103934665603 }
    func observe(_ token: Int32) {
        usleep(300)
        state = (state ^ UInt64(token + 1)) &* 1099511628211
    }
    func encode(_ text: String) -> [Int32] { text.utf8.compactMap { $0 >= 97 && $0 < 107 ? Int32($0 - 97) : nil } }
    func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        for i in logits.indices { logits[i] = 0 }
        logits[Int((state >> 33) % 10)] = 1
    }
    func saveState() -> [Float] { [] }
    func restoreState(_ state: [Float]) {}
}
