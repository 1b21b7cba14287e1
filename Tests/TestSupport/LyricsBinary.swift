import Foundation

/// Runs the built `lyrics` executable for end-to-end tests; it sits next to the test bundle (on
/// Linux the bundle is the products directory itself, on macOS it is inside it).
public enum LyricsBinary {
    /// The executable next to `testCase`'s bundle, or nil when it was not built (tests skip).
    public static func url(for testCase: AnyClass) -> URL? {
        let bundle = Bundle(for: testCase).bundleURL
        return [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("lyrics") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `exe args` in `directory`: exit status, stdout and stderr.
    public static func run(_ exe: URL, _ args: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
