import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import LyricsServer

/// A deterministic stand-in model: echoes its inputs so tests can see what reached it.
struct EchoGenerator: LyricsGenerator {
    let name: String
    let kind = "char"
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

    func testConcurrentRequestsAreIndependent() async throws {
        try await app().test(.live) { client in
            try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for i in 0..<16 {
                    group.addTask {
                        let (_, obj) = try await self.post(client, #"{"model":"a","prompt":"s\#(i)","length":\#(i + 1),"temperature":1,"topK":3,"seed":\#(i)}"#)
                        return (i, obj["text"] as? String)
                    }
                }
                for try await (i, text) in group { XCTAssertEqual(text, "s\(i)|\(i + 1)|1.0|3|1.0|1.0|\(i)") }
            }
        }
    }
}
