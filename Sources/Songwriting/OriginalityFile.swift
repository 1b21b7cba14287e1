import Foundation
import LyricsCore

/// The originality index on disk, so a 22M-word corpus is indexed once: a binary file (magic
/// "LYRORIDX", format version, the corpus fingerprint, then each array as a count and its
/// little-endian bytes), written atomically. `cached(corpus:)` names the file from the corpus's
/// fingerprint, so a changed corpus gets a new index; `load` refuses a file whose fingerprint is
/// not the expected one.
extension OriginalityIndex {
    static let magic = Array("LYRORIDX".utf8)
    static let formatVersion: UInt32 = 1

    public func save(to path: String) throws {
        try AtomicFile.write(to: path) { handle in
            var header = Data(Self.magic)
            Self.append(&header, Self.formatVersion)
            Self.append(&header, UInt32(Self.gram))
            let fp = Array(fingerprint.utf8)
            Self.append(&header, UInt32(fp.count))
            header.append(contentsOf: fp)
            try handle.write(contentsOf: header)
            try Self.write(handle, vocabulary.bytes)
            try Self.write(handle, vocabulary.offsets)
            try Self.write(handle, tokens)
            try Self.write(handle, lineStarts)
            try Self.write(handle, bucketStarts)
            try Self.write(handle, positions)
            try Self.write(handle, lineHashes)
            try Self.write(handle, lineHashLines)
        }
    }

    /// Reads an index; with `expectedFingerprint`, refuses one built from another corpus.
    public static func load(from path: String, expectedFingerprint: String? = nil) throws -> OriginalityIndex {
        try InputFile.check(path)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw LyricsError(file: path, "cannot be read")
        }
        var r = Reader(data: data, path: path)
        guard try r.bytes(magic.count) == magic else { throw LyricsError(file: path, "not an originality index") }
        let version: UInt32 = try r.scalar()
        guard version == formatVersion else { throw LyricsError(file: path, "originality index format \(version), expected \(formatVersion)") }
        let gramLength: UInt32 = try r.scalar()
        guard gramLength == UInt32(gram) else { throw LyricsError(file: path, "index of \(gramLength)-grams, expected \(gram)") }
        let fpLength: UInt32 = try r.scalar()
        let fp = String(decoding: try r.bytes(Int(fpLength)), as: UTF8.self)
        if let expectedFingerprint, fp != expectedFingerprint {
            throw LyricsError(file: path, "built from a different corpus (fingerprint \(fp), expected \(expectedFingerprint))")
        }
        let vocabBytes: [UInt8] = try r.array(), vocabOffsets: [Int32] = try r.array()
        let tokens: [UInt32] = try r.array(), lineStarts: [UInt32] = try r.array()
        let bucketStarts: [UInt32] = try r.array(), positions: [UInt32] = try r.array()
        let lineHashes: [UInt64] = try r.array(), lineHashLines: [UInt32] = try r.array()
        // Structural checks, so a damaged file fails here and not as a trap in a query.
        let buckets = bucketStarts.count - 1
        guard r.atEnd, vocabOffsets.first == 0, Int(vocabOffsets.last ?? -1) == vocabBytes.count,
              buckets > 0, buckets & (buckets - 1) == 0, Int(bucketStarts.last!) == positions.count,
              lineHashes.count == lineStarts.count, lineHashLines.count == lineStarts.count,
              tokens.last == separator || tokens.isEmpty,
              lineStarts.allSatisfy({ Int($0) < tokens.count }), lineHashLines.allSatisfy({ Int($0) < lineStarts.count }),
              positions.allSatisfy({ Int($0) + gram <= tokens.count }),
              tokens.allSatisfy({ $0 == separator || Int($0) < vocabOffsets.count - 1 })
        else { throw LyricsError(file: path, "damaged originality index") }
        return OriginalityIndex(fingerprint: fp, vocabulary: WordTable(bytes: vocabBytes, offsets: vocabOffsets), tokens: tokens,
                                lineStarts: lineStarts, bucketStarts: bucketStarts, positions: positions,
                                lineHashes: lineHashes, lineHashLines: lineHashLines)
    }

    /// The index of a corpus file, from `cacheDirectory` when an index of exactly this file's
    /// bytes is there, else built (normalising the file; .gz is read through gzip) and saved.
    /// Returns the index and whether it was built.
    public static func cached(corpus path: String, cacheDirectory: String, progress: ProgressReporter? = nil) throws -> (OriginalityIndex, built: Bool) {
        let fp = try Fingerprint.of(file: path)
        let file = cacheFile(corpus: path, fingerprint: fp, directory: cacheDirectory)
        if FileManager.default.fileExists(atPath: file) {
            return (try load(from: file, expectedFingerprint: fp), false)
        }
        let corpus = try Corpus(path: path)
        progress?.update(done: 0, extra: "normalised \(corpus.text.utf8.count) bytes", force: true)
        let index = build(text: corpus.text, fingerprint: fp, progress: progress)
        try index.save(to: file)
        return (index, true)
    }

    /// `<dir>/originality-<corpus file name>-<hash>.idx`.
    public static func cacheFile(corpus path: String, fingerprint: String, directory: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let hash = fingerprint.split(separator: ":").dropFirst().first.map(String.init) ?? "0"
        return URL(fileURLWithPath: directory).appendingPathComponent("originality-\(name)-\(hash).idx").path
    }

    /// `$XDG_CACHE_HOME/lyrics`, else `~/.cache/lyrics`.
    public static var defaultCacheDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return x + "/lyrics" }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/lyrics").path
    }

    // MARK: Encoding

    private static func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func write<T: FixedWidthInteger>(_ handle: FileHandle, _ array: [T]) throws {
        var count = Data()
        append(&count, UInt64(array.count))
        try handle.write(contentsOf: count)
        // Little-endian hosts only (x86-64, arm64), as the rest of the tool's binary formats.
        try array.withUnsafeBytes { try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!), count: $0.count, deallocator: .none)) }
    }

    private struct Reader {
        let data: Data
        let path: String
        var offset = 0

        var atEnd: Bool { offset == data.count }

        mutating func bytes(_ n: Int) throws -> [UInt8] {
            guard n >= 0, offset + n <= data.count else { throw LyricsError(file: path, "truncated originality index") }
            defer { offset += n }
            return [UInt8](data[(data.startIndex + offset)..<(data.startIndex + offset + n)])
        }

        mutating func scalar<T: FixedWidthInteger>() throws -> T {
            let b = try bytes(MemoryLayout<T>.size)
            return T(littleEndian: b.withUnsafeBytes { $0.loadUnaligned(as: T.self) })
        }

        mutating func array<T: FixedWidthInteger>() throws -> [T] {
            let count: UInt64 = try scalar()
            let size = MemoryLayout<T>.size
            guard count <= UInt64(data.count - offset) / UInt64(size) else { throw LyricsError(file: path, "truncated originality index") }
            let n = Int(count)
            var out = [T](repeating: 0, count: n)
            out.withUnsafeMutableBytes { dst in
                data.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + n * size)]))
                }
            }
            offset += n * size
            return out
        }
    }
}
