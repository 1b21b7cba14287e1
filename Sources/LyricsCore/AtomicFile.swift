import Foundation

/// Writes files so that a reader never sees half of one: the bytes go to a temporary name in the
/// same directory (same filesystem, so the final rename is atomic) and replace the target only
/// once everything was written. On any failure the temporary file is removed.
public enum AtomicFile {
    /// Writes `data` to `path` atomically, creating parent directories as needed.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { handle in try handle.write(contentsOf: data) }
    }

    /// Streams content through `body` into a temporary file, then renames it onto `path`.
    public static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw LyricsError(file: path, "cannot create directory \(dir.path)")
        }
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard fm.createFile(atPath: tmp.path, contents: nil) else {
            throw LyricsError(file: path, "cannot create a file in \(dir.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: tmp)
            do {
                try body(handle)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if fm.fileExists(atPath: url.path) { try fm.removeItem(at: url) }
            try fm.moveItem(at: tmp, to: url)
        } catch let error as LyricsError {
            try? fm.removeItem(at: tmp)
            throw error
        } catch {
            try? fm.removeItem(at: tmp)
            throw LyricsError(file: path, "write failed: \(error.localizedDescription)")
        }
    }
}

/// Reads a whole file with errors phrased for users.
public enum InputFile {
    public static func read(_ path: String) throws -> Data {
        try check(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LyricsError(file: path, "cannot be read")
        }
        return data
    }

    /// Fails with a user-facing message unless `path` is an existing regular file.
    public static func check(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw LyricsError(file: path, "no such file")
        }
        if isDir.boolValue { throw LyricsError(file: path, "is a directory, expected a file") }
    }

    /// An open stream of a file's bytes; `.gz` files come through the system gzip, so corpora
    /// can be used as shipped. Call `finish()` after reading to learn whether decompression
    /// succeeded (a truncated or foreign .gz fails there, not while reading).
    public struct Stream {
        public let handle: FileHandle
        let process: Process?
        let path: String

        public func finish() throws {
            try? handle.close()
            guard let process else { return }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw LyricsError(file: path, "not a valid gzip file") }
        }
    }

    public static func openStream(_ path: String) throws -> Stream {
        try check(path)
        guard path.hasSuffix(".gz") else {
            guard let h = FileHandle(forReadingAtPath: path) else { throw LyricsError(file: path, "cannot be read") }
            return Stream(handle: h, process: nil, path: path)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "exec gzip -dc \"$0\"", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { throw LyricsError(file: path, "cannot run gzip to decompress") }
        return Stream(handle: pipe.fileHandleForReading, process: p, path: path)
    }
}
