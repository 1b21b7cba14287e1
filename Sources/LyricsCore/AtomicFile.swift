import Foundation

/// Writes files so that a reader never sees half of one: the bytes go to a temporary name in the
/// same directory (same filesystem, so the final rename is atomic), are flushed to disk, and
/// replace the target with one `rename(2)`, so at every instant the path holds either the old
/// file or the new one, whatever kills the process (SIGKILL, a full disk, power loss after the
/// directory is synced). On any failure the temporary file is removed; temporary files left by a
/// killed process are removed by the next write of the same path (docs/reliability.md).
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
        removeStaleTemporaries(of: url)
        let tmp = dir.appendingPathComponent("\(temporaryPrefix(of: url))\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard fm.createFile(atPath: tmp.path, contents: nil) else {
            throw LyricsError(file: path, "cannot create a file in \(dir.path)\(errnoNote(errno))")
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
            if ProcessInfo.processInfo.environment[killBeforeRenameVariable] != nil { kill(getpid(), SIGKILL) }
            // rename(2) replaces an existing target atomically; removing it first would leave a
            // moment with no file at all.
            guard rename(tmp.path, url.path) == 0 else {
                throw LyricsError(file: path, "cannot replace the file\(errnoNote(errno))")
            }
            syncDirectory(dir.path)
        } catch let error as LyricsError {
            try? fm.removeItem(at: tmp)
            throw error
        } catch {
            try? fm.removeItem(at: tmp)
            throw LyricsError(file: path, "write failed\(describe(error))")
        }
    }

    /// Fault injection for the tests of docs/reliability.md: when this variable is set, the
    /// process kills itself with SIGKILL after the temporary file is complete and before the
    /// rename, the worst moment for a crash.
    public static let killBeforeRenameVariable = "LYRICS_FAULT_KILL_BEFORE_RENAME"

    /// Temporary files of `url` are ".NAME.PID.RANDOM.tmp" beside it.
    static func temporaryPrefix(of url: URL) -> String { ".\(url.lastPathComponent)." }

    /// Removes temporary files of `url` whose writing process no longer exists (killed between
    /// creating and renaming them), so repeated crashes cannot fill the disk with them.
    static func removeStaleTemporaries(of url: URL) {
        let dir = url.deletingLastPathComponent()
        let prefix = temporaryPrefix(of: url)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let parts = name.dropFirst(prefix.count).split(separator: ".")
            guard parts.count == 3, let pid = pid_t(parts[0]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
            }
        }
    }

    /// Makes the rename itself durable (best effort: some filesystems refuse fsync on a directory).
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// ": No space left on device" for POSIX errors Foundation wraps, so a full disk says so.
    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return errnoNote(Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return errnoNote(Int32(underlying.code))
        }
        return ": \(error.localizedDescription)"
    }

    static func errnoNote(_ code: Int32) -> String { code == 0 ? "" : ": \(String(cString: strerror(code)))" }
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
