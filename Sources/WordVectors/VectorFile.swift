import Foundation
import LyricsCore

/// The word2vec file formats, as word2vec.c writes them and gensim's
/// `KeyedVectors.load_word2vec_format(binary=...)` reads them:
/// - text: a "count dimensions" header line, then one line per word: the word and its values
///   separated by single spaces;
/// - binary: the same header, then per word the UTF-8 word, one space, `dimensions` little-endian
///   float32 and a newline (word2vec.c's layout; gensim omits the newline, so the reader skips
///   newlines before a word either way).
/// Loading validates everything and fails with one `LyricsError` line naming the file and the
/// problem; foreign input never traps.
public enum VectorFile {
    public enum Format: String, Sendable, CaseIterable { case text, binary }

    /// ".bin" means binary, anything else text.
    public static func format(of path: String) -> Format { path.hasSuffix(".bin") ? .binary : .text }

    // MARK: Writing

    public static func write(_ e: WordEmbedding, to path: String, format: Format? = nil) throws {
        for w in e.words where w.isEmpty || w.utf8.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 }) {
            throw LyricsError(file: path, "word '\(w)' cannot be stored (empty or contains whitespace)")
        }
        let fmt = format ?? Self.format(of: path)
        try AtomicFile.write(to: path) { handle in
            var buf = [UInt8]()
            buf.reserveCapacity(1 << 20)
            buf += Array("\(e.count) \(e.dimensions)\n".utf8)
            let d = e.dimensions
            try e.vectors.withUnsafeBufferPointer { v in
                for (i, w) in e.words.enumerated() {
                    buf += Array(w.utf8)
                    let row = UnsafeBufferPointer(rebasing: v[(i * d)..<((i + 1) * d)])
                    switch fmt {
                    case .binary:
                        buf.append(0x20)
                        for x in row { withUnsafeBytes(of: x.bitPattern.littleEndian) { buf += $0 } }
                    case .text:
                        for x in row { buf.append(0x20); buf += Array(x.description.utf8) }
                    }
                    buf.append(0x0A)
                    if buf.count >= 1 << 20 { try handle.write(contentsOf: buf); buf.removeAll(keepingCapacity: true) }
                }
            }
            try handle.write(contentsOf: buf)
        }
    }

    // MARK: Reading

    /// Reads a vector file; the format follows the extension unless given.
    public static func read(_ path: String, format: Format? = nil) throws -> WordEmbedding {
        let data = try InputFile.read(path)
        return try parse(data, file: path, format: format ?? Self.format(of: path))
    }

    public static func parse(_ data: Data, file: String, format: Format) throws -> WordEmbedding {
        var bytes = [UInt8](data)
        bytes.append(0) // strtof needs a terminator after the last number
        return try bytes.withUnsafeBufferPointer { buf -> WordEmbedding in
            var r = Reader(buf: buf, end: buf.count - 1, file: file)
            let (count, dim) = try r.header()
            // Every row takes at least 2 bytes per value in text, 4 in binary; a header asking for
            // more than the file can hold is rejected before allocating.
            let minRow = format == .binary ? 4 * dim : 2 * dim
            guard count.multipliedReportingOverflow(by: minRow).partialValue <= r.end,
                  !count.multipliedReportingOverflow(by: minRow).overflow else {
                throw LyricsError(file: file, "truncated: header promises \(count) vectors of \(dim) values but the file is too short")
            }
            var words = [String]()
            words.reserveCapacity(count)
            var seen = Set<String>(minimumCapacity: count)
            var vectors = [Float](repeating: 0, count: count * dim)
            try vectors.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    let line = r.line
                    let word = try r.word(binary: format == .binary, row: i)
                    guard seen.insert(word).inserted else {
                        throw LyricsError(file: file, "duplicate word '\(word)' (line \(line))")
                    }
                    words.append(word)
                    let row = out.baseAddress! + i * dim
                    if format == .binary { try r.binaryRow(row, dim: dim, word: word) } else { try r.textRow(row, dim: dim, word: word) }
                }
            }
            try r.expectEnd(count: count)
            return WordEmbedding(words: words, dimensions: dim, vectors: vectors)
        }
    }
}

/// A cursor over the file's bytes that knows the current line for messages.
struct Reader {
    let buf: UnsafeBufferPointer<UInt8>
    let end: Int
    let file: String
    var pos = 0
    var line = 1

    init(buf: UnsafeBufferPointer<UInt8>, end: Int, file: String) {
        self.buf = buf
        self.end = end
        self.file = file
    }

    func fail(_ problem: String) -> LyricsError { LyricsError(file: file, problem) }

    mutating func header() throws -> (Int, Int) {
        var lineEnd = pos
        while lineEnd < end && buf[lineEnd] != 0x0A { lineEnd += 1 }
        guard lineEnd < end else { throw fail(end == 0 ? "empty file, expected a word2vec header" : "wrong header: expected \"<count> <dimensions>\" then vectors") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buf[pos..<lineEnd]), as: UTF8.self)
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard parts.count == 2, let c = Int(parts[0]), let d = Int(parts[1]), c >= 1, d >= 1, d <= 100_000 else {
            throw fail("wrong header '\(text.prefix(60))': expected \"<count> <dimensions>\" (positive integers)")
        }
        pos = lineEnd + 1
        line = 2
        return (c, d)
    }

    mutating func word(binary: Bool, row: Int) throws -> String {
        if binary {
            while pos < end && buf[pos] == 0x0A { pos += 1; line += 1 }
        }
        guard pos < end else {
            throw fail(binary ? "truncated: vector \(row + 1) is missing (file ends early)" : "expected more vectors than the file holds (file ends at line \(line))")
        }
        let start = pos
        while pos < end && buf[pos] != 0x20 && buf[pos] != 0x0A && (binary || buf[pos] != 0x09) { pos += 1 }
        guard pos < end, buf[pos] == 0x20 || buf[pos] == 0x09, pos > start else {
            throw fail(binary ? "truncated or malformed entry at vector \(row + 1)" : "line \(line): expected a word followed by values")
        }
        guard let w = String(validating: UnsafeBufferPointer(rebasing: buf[start..<pos]), as: UTF8.self) else {
            throw fail("line \(line): word is not valid UTF-8")
        }
        pos += 1
        return w
    }

    mutating func textRow(_ out: UnsafeMutablePointer<Float>, dim: Int, word: String) throws {
        var n = 0
        while true {
            while pos < end && (buf[pos] == 0x20 || buf[pos] == 0x09 || buf[pos] == 0x0D) { pos += 1 }
            if pos >= end || buf[pos] == 0x0A { break }
            guard n < dim else { throw fail("line \(line): wrong row length for '\(word)': more than \(dim) values") }
            let p = UnsafeMutableRawPointer(mutating: buf.baseAddress! + pos).assumingMemoryBound(to: CChar.self)
            var stop: UnsafeMutablePointer<CChar>? = p
            let x = strtof(p, &stop)
            let used = stop.map { UnsafeRawPointer($0) - UnsafeRawPointer(p) } ?? 0
            let next = pos + used
            guard used > 0, next <= end, next == end || [0x20, 0x09, 0x0D, 0x0A].contains(buf[next]) else {
                throw fail("line \(line): value \(n + 1) of '\(word)' is not a number")
            }
            guard x.isFinite else { throw fail("line \(line): value \(n + 1) of '\(word)' is not finite (NaN or inf)") }
            out[n] = x
            n += 1
            pos = next
        }
        guard n == dim else { throw fail("line \(line): wrong row length for '\(word)': \(n) values, header says \(dim)") }
        if pos < end { pos += 1 }
        line += 1
    }

    mutating func binaryRow(_ out: UnsafeMutablePointer<Float>, dim: Int, word: String) throws {
        guard end - pos >= 4 * dim else { throw fail("truncated: vector for '\(word)' has \(max(end - pos, 0)) of \(4 * dim) bytes") }
        for k in 0..<dim {
            var bits: UInt32 = 0
            for j in 0..<4 { bits |= UInt32(buf[pos + 4 * k + j]) << (8 * j) }
            let x = Float(bitPattern: bits)
            guard x.isFinite else { throw fail("vector for '\(word)': value \(k + 1) is not finite (NaN or inf)") }
            out[k] = x
        }
        pos += 4 * dim
    }

    /// Only whitespace may follow the last vector.
    mutating func expectEnd(count: Int) throws {
        while pos < end && [0x20, 0x09, 0x0D, 0x0A].contains(buf[pos]) { pos += 1 }
        guard pos >= end else { throw fail("more data after the \(count) vectors the header announces") }
    }
}
