import Foundation
import TestSupport
import XCTest

/// `lyrics serve` as a user starts it: on a port the system picks (printed on stderr), answering
/// /api/models and /api/generate for a char and a word model over plain HTTP, refusing a second
/// server on the same port with one line, and stopping cleanly on SIGTERM.
final class ServeCommandTests: XCTestCase {
    /// A running `lyrics serve` and what it has written on stderr so far.
    final class Server {
        let process = Process()
        private let lock = NSLock()
        private var errText = ""

        init(_ args: [String], in dir: URL) throws {
            process.executableURL = try CLI.executable()
            process.arguments = ["serve"] + args
            process.currentDirectoryURL = dir
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            err.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.errText += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var stderr: String { lock.withLock { errText } }

        /// The port from "serving NAMES on http://127.0.0.1:PORT/", once it is printed.
        func port(within seconds: Double = 30) -> Int? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, process.isRunning {
                if let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("serving ") }),
                   let url = line.split(separator: " ").last, let port = Int(url.split(separator: ":").last?.dropLast() ?? "") {
                    return port
                }
                usleep(20_000)
            }
            return nil
        }

        /// Sends SIGTERM and waits for the exit status (nil when it did not stop in time).
        func stop(within seconds: Double = 10) -> Int32? {
            if process.isRunning { process.terminate() }
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL); return nil }
            return process.terminationStatus
        }
    }

    func testServesBothKindsOverHTTPAndStopsOnSIGTERM() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        let server = try Server(["--model", "tiny=\(fixture.char)", "--word-model", fixture.word, "--port", "0"], in: dir)
        var stopped = false
        defer { if !stopped { _ = server.stop() } }
        let port = try XCTUnwrap(server.port(), "no 'serving' line: \(server.stderr)")
        XCTAssertGreaterThan(port, 0)
        // Word models first, as the command line defaults to the word model: the page opens on it.
        XCTAssertTrue(server.stderr.contains("serving word, tiny on http://127.0.0.1:\(port)/\n"), server.stderr)

        let models = try XCTUnwrap(HTTPSocket.request(port: port, "GET", "/api/models"))
        XCTAssertEqual(models.status, 200)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: models.body) as? [[String: Any]])
        XCTAssertEqual(list.map { $0["name"] as? String }, ["word", "tiny"])
        XCTAssertEqual(list.map { $0["kind"] as? String }, ["word", "char"])

        let body = #"{"model":"tiny","prompt":"the night","length":12,"temperature":0.8,"seed":9}"#
        let c = try XCTUnwrap(HTTPSocket.request(port: port, "POST", "/api/generate", body: body))
        XCTAssertEqual(c.status, 200, String(decoding: c.body, as: UTF8.self))
        let text = try XCTUnwrap((JSONSerialization.jsonObject(with: c.body) as? [String: Any])?["text"] as? String)
        XCTAssertTrue(text.hasPrefix("the night"), text)
        XCTAssertEqual(text.count, "the night".count + 12)
        // The same seed from the command line gives the same text (one generation stack).
        let cli = try CLI.run(["char", "generate", "--model", fixture.char, "--prompt", "the night", "--characters", "12", "--seed", "9"], in: dir)
        XCTAssertEqual(cli.out, text.hasSuffix("\n") ? text : text + "\n")

        let w = try XCTUnwrap(HTTPSocket.request(port: port, "POST", "/api/generate", body: #"{"model":"word","prompt":"sea","length":3,"seed":2}"#))
        XCTAssertEqual(w.status, 200, String(decoding: w.body, as: UTF8.self))
        let bad = try XCTUnwrap(HTTPSocket.request(port: port, "POST", "/api/generate", body: #"{"model":"tiny","topP":0}"#))
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(String(decoding: bad.body, as: UTF8.self).contains("topP must be in (0, 1]"))
        // The page's files come from the binary's resource bundle, and the studio writes with
        // both kinds of model.
        let script = try XCTUnwrap(HTTPSocket.request(port: port, "GET", "/studio.js"))
        XCTAssertEqual(script.status, 200)
        XCTAssertTrue(String(decoding: script.body, as: UTF8.self).contains("/api/studio/alternatives"))
        for model in ["word", "tiny"] {
            let alt = try XCTUnwrap(HTTPSocket.request(port: port, "POST", "/api/studio/alternatives",
                                                       body: #"{"model":"\#(model)","song":[["the sea"]],"line":1,"count":2,"seed":3}"#))
            XCTAssertEqual(alt.status, 200, String(decoding: alt.body, as: UTF8.self))
            let candidates = (try JSONSerialization.jsonObject(with: alt.body) as? [String: Any])?["candidates"] as? [[String: Any]]
            XCTAssertFalse(candidates?.isEmpty ?? true, "\(model): \(String(decoding: alt.body, as: UTF8.self))")
        }

        // A second server cannot take the port: one line naming the address.
        let second = try CLI.run(["serve", "--char-model", fixture.char, "--port", "\(port)"], in: dir)
        CLI.assertOneLineError(second, "127.0.0.1:\(port): cannot listen: ", contains: "Address already in use")

        stopped = true
        XCTAssertEqual(server.stop(), 0, server.stderr)
    }

    /// With no model named it serves the shipped ones through the model loader, the word model
    /// first (the page's default, as `lyrics generate`'s).
    func testServesTheShippedModelsWordFirst() throws {
        let dir = try CLI.tempDir(self)
        let server = try Server(["--port", "0"], in: dir)
        defer { _ = server.stop() }
        let port = try XCTUnwrap(server.port(within: 120), "no 'serving' line: \(server.stderr)")
        let models = try XCTUnwrap(HTTPSocket.request(port: port, "GET", "/api/models"))
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: models.body) as? [[String: Any]])
        XCTAssertEqual(list.map { $0["name"] as? String }, ["word", "char"])
        XCTAssertEqual(list.map { $0["kind"] as? String }, ["word", "char"])
        XCTAssertTrue((list[0]["summary"] as? String ?? "").hasSuffix("(word.safetensors)"), "\(list)")
    }

    func testBadModelsAreOneLine() throws {
        let fixture = try Fixture.shared(), dir = try CLI.tempDir(self)
        try CLI.write("not a model\n", dir.appendingPathComponent("notes.txt"))
        let cases: [([String], String, String)] = [
            (["--char-model", "missing.safetensors"], "missing.safetensors: no such file", ""),
            (["--char-model", fixture.word], fixture.word + ": ", "not a lyrics char model checkpoint"),
            (["--word-model", fixture.char], fixture.char + ": ", "not a lyrics word model checkpoint"),
            (["--model", "notes.txt"], "notes.txt: ", ""),
            (["--char-model", "a=\(fixture.char)", "--word-model", "a=\(fixture.word)"], "model names must be unique: a, a", ""),
            (["--char-model", fixture.char, "--port", "70000"], "--port: must be between 0 and 65535", ""),
            (["--char-model", fixture.char, "--port", "-1"], "--port: must be between 0 and 65535", ""),
        ]
        try CLI.assertEachFails(["serve", "--port", "0"], cases, in: dir)
    }
}
