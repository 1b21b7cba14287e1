import Foundation
import LyricsCore

/// What a vector file's first line says about the rest.
public struct VectorFileLayout: Sendable, Equatable {
    public var format: VectorFile.Format
    /// Vectors the header announces; nil for GloVe files, which have no header.
    public var count: Int?
    public var dimension: Int
    /// A lower bound on the bytes a row takes (for rejecting impossible headers early).
    var minimumRowBytes: Int { format == .binary ? 4 * dimension : 2 * dimension }
}

/// Rows kept from a vector stream: words in order and their vectors, with room reserved when the
/// header gives the count (GloVe files grow as they stream).
public struct VectorRows {
    public private(set) var words = [String]()
    public private(set) var vectors = [Float]()
    public private(set) var dimension = 0

    public init() {}

    public mutating func begin(_ layout: VectorFileLayout) {
        dimension = layout.dimension
        if let count = layout.count {
            words.reserveCapacity(count)
            vectors.reserveCapacity(count * layout.dimension)
        }
    }

    public mutating func append(_ word: String, _ values: UnsafeBufferPointer<Float>) {
        words.append(word)
        vectors.append(contentsOf: values)
    }
}

/// Reads the vector files people bring, one row at a time in file order, so the caller keeps only
/// the rows it wants and a file is read exactly once:
/// - word2vec / gensim / fastText text: a "count dimensions" header, then "word v1 ... vD" lines
///   (a trailing space, as word2vec.c and fastText write, is fine);
/// - word2vec / gensim binary: the same header, then per word the UTF-8 word, one space and D
///   little-endian float32 (word2vec.c ends each row with "\n", gensim does not);
/// - GloVe text: no header; detected when the first line has more than 2 fields and parses as a
///   word followed by numbers; D is that line's count of numbers and every line must match it.
/// A header-led file is binary when the format is given as binary, its name ends in ".bin", or
/// its first row holds bytes no text file has (control characters). Every problem is one
/// `LyricsError` naming the file and the line (text) or vector number (binary).
public enum VectorStream {
    public typealias Row = (_ word: String, _ values: UnsafeBufferPointer<Float>, _ position: String) throws -> Void

    /// Streams `path`; `layout` is called once before the first row.
    public static func read(_ path: String, format: VectorFile.Format? = nil,
                            layout: (VectorFileLayout) throws -> Void = { _ in }, row: Row) throws {
        let stream = try InputFile.openStream(path)
        defer { try? stream.handle.close() }
        let size = path.hasSuffix(".gz") ? nil : (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        let reader = ChunkReader(handle: stream.handle, file: path)
        let forced = format ?? (path.hasSuffix(".bin") ? .binary : nil)
        try read(reader, file: path, size: size, format: forced, layout: layout, row: row)
        try stream.finish()
    }

    /// Streams bytes already in memory (`format` nil: detected as for files).
    public static func read(_ data: Data, file: String, format: VectorFile.Format?,
                            layout: (VectorFileLayout) throws -> Void = { _ in }, row: Row) throws {
        try read(ChunkReader(data: data), file: file, size: data.count, format: format, layout: layout, row: row)
    }

    static func read(_ r: ChunkReader, file: String, size: Int?, format: VectorFile.Format?,
                     layout: (VectorFileLayout) throws -> Void, row: Row) throws {
        func fail(_ problem: String) -> LyricsError { LyricsError(file: file, problem) }
        guard let firstLength = try r.nextLine() else { throw fail("empty file, expected a word2vec header or GloVe vectors") }
        let first = String(decoding: UnsafeBufferPointer(start: r.pointer, count: firstLength), as: UTF8.self)
        let fields = first.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        var shape: VectorFileLayout
        if fields.count == 2, let c = Int(fields[0]), let d = Int(fields[1]), c >= 1, d >= 1, d <= 100_000 {
            guard firstLength < r.available else { throw fail("wrong header: expected \"<count> <dimensions>\" then vectors") }
            r.consumeLine(firstLength)
            let binary = try format.map { $0 == .binary } ?? looksBinary(r, dimension: d)
            shape = VectorFileLayout(format: binary ? .binary : .text, count: c, dimension: d)
            if let size, c.multipliedReportingOverflow(by: shape.minimumRowBytes).overflow
                || c * shape.minimumRowBytes > size {
                throw fail("truncated: header promises \(c) vectors of \(d) values but the file is too short")
            }
        } else if fields.count > 2, format != .binary, fields.dropFirst().allSatisfy({ Float($0) != nil }) {
            shape = VectorFileLayout(format: .text, count: nil, dimension: fields.count - 1)
        } else {
            throw fail("wrong header '\(first.prefix(60))': expected \"<count> <dimensions>\" (positive integers) or a GloVe line \"word v1 v2 ...\"")
        }
        try layout(shape)
        var values = [Float](repeating: 0, count: shape.dimension)
        try values.withUnsafeMutableBufferPointer { out in
            if shape.format == .binary {
                try readBinary(r, count: shape.count!, out: out, fail: fail, row: row)
            } else {
                try readText(r, count: shape.count, firstLine: shape.count == nil ? 1 : 2, glove: shape.count == nil,
                             out: out, fail: fail, row: row)
            }
        }
    }

    /// A text row holds only digits, signs, dots, letters and whitespace; binary floats almost
    /// always include bytes below 0x20 other than tab/newline/return.
    private static func looksBinary(_ r: ChunkReader, dimension: Int) throws -> Bool {
        let n = try r.ensure(4 * dimension + 256)
        let p = r.pointer
        for i in 0..<n where p[i] < 0x20 && p[i] != 0x09 && p[i] != 0x0A && p[i] != 0x0D || p[i] == 0x7F {
            return true
        }
        return false
    }

    private static func readBinary(_ r: ChunkReader, count: Int, out: UnsafeMutableBufferPointer<Float>,
                                   fail: (String) -> LyricsError, row: Row) throws {
        let dim = out.count
        for i in 0..<count {
            // word2vec.c ends rows with "\n"; gensim does not.
            while try r.ensure(1) > 0, r.pointer[0] == 0x0A { r.consume(1) }
            guard r.available > 0 else { throw fail("truncated: vector \(i + 1) is missing (file ends early)") }
            guard let space = try r.find(0x20, limit: 1 << 16), space > 0 else {
                throw fail("truncated or malformed entry at vector \(i + 1)")
            }
            let word = try decodeWord(r, length: space, fail: { fail("vector \(i + 1): word is not valid UTF-8") })
            r.consume(space + 1)
            let have = try r.ensure(4 * dim)
            guard have >= 4 * dim else { throw fail("truncated: vector for '\(word)' has \(have) of \(4 * dim) bytes") }
            let p = r.pointer
            for k in 0..<dim {
                let b = p + 4 * k
                let bits = UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
                let x = Float(bitPattern: bits)
                guard x.isFinite else { throw fail("vector for '\(word)': value \(k + 1) is not finite (NaN or inf)") }
                out[k] = x
            }
            r.consume(4 * dim)
            try row(word, UnsafeBufferPointer(out), "vector \(i + 1)")
        }
        try expectEnd(r, count: count, fail: fail)
    }

    /// Header-led text (`count` rows) or GloVe (`count` nil: every non-blank line to the end).
    private static func readText(_ r: ChunkReader, count: Int?, firstLine: Int, glove: Bool,
                                 out: UnsafeMutableBufferPointer<Float>, fail: (String) -> LyricsError, row: Row) throws {
        let dim = out.count
        var line = firstLine
        var rows = 0
        while count.map({ rows < $0 }) ?? true {
            guard let length = try r.nextLine() else {
                if glove { return }
                throw fail("expected more vectors than the file holds (file ends at line \(line))")
            }
            let p = r.pointer
            var pos = 0
            if glove, (0..<length).allSatisfy({ isSpace(p[$0]) }) { r.consumeLine(length); line += 1; continue }
            while pos < length && p[pos] != 0x20 && p[pos] != 0x09 { pos += 1 }
            guard pos < length, pos > 0 else { throw fail("line \(line): expected a word followed by values") }
            let word = try decodeWord(r, length: pos, fail: { fail("line \(line): word is not valid UTF-8") })
            var n = 0
            while true {
                while pos < length && isSpace(p[pos]) { pos += 1 }
                if pos >= length { break }
                guard n < dim else { throw fail(rowLength(line, word, "more than \(dim)", dim, glove)) }
                let s = UnsafeMutableRawPointer(p + pos).assumingMemoryBound(to: CChar.self)
                var stop: UnsafeMutablePointer<CChar>? = s
                let x = strtof(s, &stop)
                let used = stop.map { UnsafeRawPointer($0) - UnsafeRawPointer(s) } ?? 0
                let next = pos + used
                guard used > 0, next <= length, next == length || isSpace(p[next]) else {
                    throw fail("line \(line): value \(n + 1) of '\(word)' is not a number")
                }
                guard x.isFinite else { throw fail("line \(line): value \(n + 1) of '\(word)' is not finite (NaN or inf)") }
                out[n] = x
                n += 1
                pos = next
            }
            guard n == dim else { throw fail(rowLength(line, word, "\(n)", dim, glove)) }
            r.consumeLine(length)
            try row(word, UnsafeBufferPointer(out), "line \(line)")
            line += 1
            rows += 1
        }
        try expectEnd(r, count: rows, fail: fail)
    }

    private static func rowLength(_ line: Int, _ word: String, _ n: String, _ dim: Int, _ glove: Bool) -> String {
        "line \(line): wrong row length for '\(word)': \(n) values, " + (glove ? "the first line has \(dim)" : "header says \(dim)")
    }

    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }

    private static func decodeWord(_ r: ChunkReader, length: Int, fail: () -> LyricsError) throws -> String {
        guard let w = String(validating: UnsafeBufferPointer(start: r.pointer, count: length), as: UTF8.self) else { throw fail() }
        return w
    }

    /// Only whitespace may follow the last vector.
    private static func expectEnd(_ r: ChunkReader, count: Int, fail: (String) -> LyricsError) throws {
        while try r.ensure(1) > 0 {
            guard isSpace(r.pointer[0]) || r.pointer[0] == 0x0A else { throw fail("more data after the \(count) vectors the header announces") }
            r.consume(1)
        }
    }
}
