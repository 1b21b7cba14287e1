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

    /// The format files are written in: ".bin" means binary, anything else text.
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

    /// Reads a whole vector file (word2vec/gensim/fastText text or binary, or GloVe; see
    /// `VectorStream`) as it is: no word is renamed and a repeated word is an error. The format
    /// follows the name and the content unless given.
    public static func read(_ path: String, format: Format? = nil) throws -> WordEmbedding {
        var rows = RowCollector(file: path)
        try VectorStream.read(path, format: format, layout: { rows.begin($0) }, row: { try rows.add($0, $1, $2) })
        return rows.embedding
    }

    public static func parse(_ data: Data, file: String, format: Format? = nil) throws -> WordEmbedding {
        var rows = RowCollector(file: file)
        try VectorStream.read(data, file: file, format: format, layout: { rows.begin($0) }, row: { try rows.add($0, $1, $2) })
        return rows.embedding
    }
}

/// Every row of a file, in order, refusing repeated words.
private struct RowCollector {
    let file: String
    var rows = VectorRows()
    var seen = Set<String>()

    init(file: String) { self.file = file }

    mutating func begin(_ layout: VectorFileLayout) {
        rows.begin(layout)
        seen.reserveCapacity(layout.count ?? 0)
    }

    mutating func add(_ word: String, _ values: UnsafeBufferPointer<Float>, _ position: String) throws {
        guard seen.insert(word).inserted else { throw LyricsError(file: file, "duplicate word '\(word)' (\(position))") }
        rows.append(word, values)
    }

    var embedding: WordEmbedding { WordEmbedding(words: rows.words, dimensions: rows.dimension, vectors: rows.vectors) }
}
