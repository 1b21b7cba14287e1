import Foundation
import XCTest

/// The built `lyrics` binary, for the end-to-end tests of its subcommands.
public enum LyricsExecutable {
    /// The executable next to the test bundle `bundle` (on Linux the bundle is the products
    /// directory itself; on macOS it sits inside it), or nil when it was not built.
    public static func url(near bundle: Bundle) -> URL? {
        let dir = bundle.bundleURL
        return [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("lyrics") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The executable next to the test bundle holding `test`, or a skip: the one place a test
    /// finds the binary it runs.
    public static func orSkip(for test: AnyClass) throws -> URL {
        guard let exe = url(near: Bundle(for: test)) else {
            throw XCTSkip("lyrics executable not found next to the tests; build it with swift build first")
        }
        return exe
    }

    /// The repository's root folder (its corpora, models and scripts), from this file's place.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `exe args...` in `directory` with `stdin` as its input: exit status, stdout, stderr.
    public static func run(_ exe: URL, _ args: [String], in directory: URL, stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// A new empty folder under the system's temporary directory, named `<prefix>-<UUID>`.
    public static func makeTemporaryDirectory(_ prefix: String) throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
