import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import LyricsServer

/// The studio in a real browser: scripts/studio-browser-test.py drives headless Chromium
/// through Selenium against a server over the scripted word model (fast in a debug build) and
/// writes a two-stanza song with a repeated chorus by clicking alternatives, next words and
/// rhymes, locks a line and regenerates the others, undoes, reloads and exports. Skipped, with
/// the reason, where Selenium, Chromium or chromedriver is missing (scripts/install-deps.sh).
final class StudioBrowserTests: XCTestCase {
    func testWriteASongInTheStudioInHeadlessChromium() async throws {
        let script = LyricsExecutable.repositoryRoot.appendingPathComponent("scripts/studio-browser-test.py").path
        let songs = TokenModelGenerator(name: "w", kind: .word, summary: "scripted", make: { ScriptedWordModel(words: SongAPITests.words) })
        let app = LyricsServer.makeApplication(generators: [songs], port: 0)
        let skipped = try await app.test(.live) { client -> String? in
            let port = try XCTUnwrap(client.port)
            let (status, log) = try await Self.run(["python3", script, "http://127.0.0.1:\(port)/", "--model", "w"])
            if status == 77 { return log.trimmingCharacters(in: .whitespacesAndNewlines) }
            XCTAssertEqual(status, 0, log)
            XCTAssertTrue(log.contains("studio-browser: passed"), log)
            return nil
        }
        if let skipped { throw XCTSkip(skipped) }
    }

    /// Runs a command off the cooperative pool (the server answers the browser meanwhile).
    static func run(_ command: [String]) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                p.arguments = command
                let pipe = Pipe()
                p.standardOutput = pipe
                p.standardError = pipe
                do { try p.run() } catch { return continuation.resume(throwing: error) }
                let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                p.waitUntilExit()
                continuation.resume(returning: (p.terminationStatus, out))
            }
        }
    }
}
