import Foundation
import TestSupport
import XCTest

/// Runs scripts/page-screenshot.sh: the real `lyrics serve` binary, the page in headless
/// Chromium generating lyrics through its own JavaScript, and a screenshot. Skipped (with the
/// reason) where Chromium is not installed.
final class PageScreenshotTests: XCTestCase {
    func testPageGeneratesLyricsInHeadlessChromium() throws {
        let root = LyricsExecutable.repositoryRoot
        guard ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].contains(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("Chromium is not installed (apt-get install chromium); page screenshot not taken")
        }
        // The test bundle sits beside the products of the same build, the lyrics binary among them.
        let productDir = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = productDir.appendingPathComponent("lyrics").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("lyrics binary not found at \(binary)")
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("page-\(UUID().uuidString).png").path
        let songOut = String(out.dropLast(4)) + "-song.png"
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: songOut) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [root.appendingPathComponent("scripts/page-screenshot.sh").path, binary, out]
        p.currentDirectoryURL = root
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, log)
        XCTAssertTrue(log.contains("page generated"), log)
        // The song form: an AABB scheme written through the page, rhyme words marked and rhyming.
        XCTAssertTrue(log.contains("page rhymes"), log)
        XCTAssertGreaterThan(FileManager.default.contents(atPath: songOut)?.count ?? 0, 5_000)
        let png = FileManager.default.contents(atPath: out) ?? Data()
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "screenshot is not a PNG")
        XCTAssertGreaterThan(png.count, 5_000)
    }
}
