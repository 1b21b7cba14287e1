import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import LyricsServer

/// A body over the 64 KiB limit gets its 413 at once over a plain socket, whatever the client
/// does: one that streams 5 MB and reads as it goes sees the status line while still sending;
/// one that says `Connection: close` and sends all 5 MB before reading anything (what Python's
/// urllib does, and what used to wait for the client's timeout) can send it all and then reads
/// the 413; both see the connection close.
final class OversizedBodyTests: XCTestCase {
    static let size = 5_000_000

    func head(close: Bool) -> Data {
        Data("POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(Self.size)\r\n\(close ? "Connection: close\r\n" : "")\r\n".utf8)
    }

    func testStreamingClientGets413WhileSending() async throws {
        let app = LyricsServer.makeApplication(generators: [EchoGenerator(name: "a")], port: 0)
        try await app.test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let s = try HTTPSocket(port: port, timeout: 3)
            XCTAssertTrue(s.send(self.head(close: false)))
            let started = Date()
            let chunk = Data(repeating: 0x78, count: 64 * 1024)
            var sent = 0
            while sent < Self.size, !s.readable(within: 0.005) {
                guard s.send(chunk.prefix(Self.size - sent)) else { break }
                sent += min(chunk.count, Self.size - sent)
            }
            XCTAssertTrue(s.readable(within: 2), "no answer after \(sent) bytes")
            let r = try XCTUnwrap(s.readResponse())
            XCTAssertLessThan(Date().timeIntervalSince(started), 2)
            XCTAssertLessThan(sent, Self.size, "the 413 came only after the whole body")
            XCTAssertEqual(r.status, 413)
            XCTAssertTrue(r.head.contains { $0.lowercased() == "connection: close" }, "\(r.head)")
            XCTAssertTrue(String(decoding: r.body, as: UTF8.self).contains("request body is larger than 64 KiB"))
            // The rest is taken and dropped, then the connection closes.
            while sent < Self.size, s.send(chunk.prefix(Self.size - sent)) { sent += min(chunk.count, Self.size - sent) }
            XCTAssertEqual(sent, Self.size)
            XCTAssertEqual(s.receive(), Data(), "the server closes the connection")
        }
    }

    func testClientThatSendsEverythingFirstGets413() async throws {
        let app = LyricsServer.makeApplication(generators: [EchoGenerator(name: "a")], port: 0)
        try await app.test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let s = try HTTPSocket(port: port, timeout: 3)
            let started = Date()
            // Blocks (and fails after the 3 s send timeout) if the server stops reading.
            XCTAssertTrue(s.send(self.head(close: true) + Data(repeating: 0x78, count: Self.size)), "the server stopped reading the body")
            let r = try XCTUnwrap(s.readResponse(), "no answer")
            XCTAssertEqual(r.status, 413)
            XCTAssertLessThan(Date().timeIntervalSince(started), 2)
            XCTAssertEqual(s.receive(), Data(), "the server closes the connection")
        }
    }
}
