import Foundation

/// Runs Python snippets for the cross-checks against reference tools (gensim, safetensors,
/// nbformat), which are optional: a missing interpreter is reported as nil so the test can skip.
public enum Python {
    /// `python3 -c script args...`: exit status, stdout and stderr; nil when python3 cannot start.
    public static func run(_ script: String, args: [String] = []) -> (status: Int32, out: String, err: String)? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { return nil }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
