import Foundation
import LyricsCore
import WordVectors

/// Which word vectors a model was trained with. Stored in checkpoints so a model is never paired
/// with a different vector file: the vocabulary fixes the meaning of every output id and the
/// vectors fix the output space.
public struct VectorIdentity: Codable, Equatable, Sendable {
    public var path: String
    public var vocabularySize: Int
    public var dimension: Int
    /// FNV-1a 64 over the words joined by newlines (order matters: ids are positions).
    public var vocabularyHash: String

    public init(path: String, vocabularySize: Int, dimension: Int, vocabularyHash: String) {
        self.path = path
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        self.vocabularyHash = vocabularyHash
    }

    /// Throws a one-line error naming what differs, or returns when `other` is the same table.
    public func check(against other: VectorIdentity, modelPath: String) throws {
        if dimension != other.dimension {
            throw LyricsError(file: other.path, "vectors have \(other.dimension) dimensions but model \(modelPath) was trained with \(dimension) (from \(path))")
        }
        if vocabularySize != other.vocabularySize || vocabularyHash != other.vocabularyHash {
            throw LyricsError(file: other.path, "vocabulary (\(other.vocabularySize) words, hash \(other.vocabularyHash)) differs from the one model \(modelPath) was trained with (\(vocabularySize) words, hash \(vocabularyHash), from \(path))")
        }
    }
}

/// The word model's vocabulary and output space: the vector file's words (ids are their rows),
/// the raw vectors (the model's input) and a unit-normalised copy Ê (the output table every loss
/// and the sampler compare the predicted vector against). Immutable, so one table can serve many
/// models and threads.
public final class VectorTable: Sendable {
    /// The words in file order with their ids: the one word → id map of the word model.
    public let vocabulary: Vocabulary
    public var words: [String] { vocabulary.words }
    public var index: [String: Int32] { vocabulary.index }
    public let dimension: Int
    /// `V × D` row-major, as in the file.
    public let vectors: [Float]
    /// `V × D` rows scaled to unit length (a zero row stays zero).
    public let unit: [Float]
    public let unknownID: Int32
    public let newlineID: Int32
    public let identity: VectorIdentity

    public var count: Int { words.count }

    /// What loading changed in a file someone brought (dropped, merged and added words; see
    /// `VectorImport`), for a note on stderr; nil when the file was already in the tool's form.
    public let importSummary: String?

    /// Builds from vectors already in the tool's form (normalised words); they must contain
    /// "<unk>" and the newline token "</s>", since corpus words outside the vocabulary and line
    /// breaks map to them. Files go through `load`, which adds them when missing.
    public convenience init(embedding e: WordEmbedding, path: String) throws {
        guard e.index[Vocabulary.unknown] != nil else {
            throw LyricsError(file: path, "has no \"\(Vocabulary.unknown)\" vector; the word model needs one for words outside the vocabulary (train vectors with `lyrics vectors train`, which writes it)")
        }
        guard e.index[WordTokenizer.newline] != nil else {
            throw LyricsError(file: path, "has no \"\(WordTokenizer.newline)\" (newline) vector; the word model predicts line breaks with it")
        }
        guard e.index.count == e.count else { throw LyricsError(file: path, "repeats a word; ids would be ambiguous") }
        self.init(words: e.words, vectors: e.vectors, dimension: e.dimensions, path: path, importSummary: nil)
    }

    /// `words` must be distinct and include "<unk>" and "</s>".
    init(words: [String], vectors: [Float], dimension: Int, path: String, importSummary: String?) {
        guard let vocabulary = try? Vocabulary(orderedWords: words) else { preconditionFailure("VectorTable words must be distinct") }
        self.vocabulary = vocabulary
        self.dimension = dimension
        self.vectors = vectors
        unit = WordEmbedding.unitRows(vectors, dimensions: dimension)
        unknownID = vocabulary.unknownID!
        newlineID = vocabulary.newlineID!
        self.importSummary = importSummary
        identity = VectorIdentity(path: path, vocabularySize: words.count, dimension: dimension,
                                  vocabularyHash: Self.hash(words: words))
    }

    /// Reads a vector file as it streams in: word2vec/gensim text or binary, fastText .vec or
    /// GloVe (see `VectorStream`), words mapped through the tool's normalisation and "<unk>" and
    /// "</s>" added when missing (see `VectorImport`).
    public static func load(_ path: String) throws -> VectorTable {
        var rows = VectorImport(file: path)
        try VectorStream.read(path, layout: { rows.begin($0) }, row: { word, values, _ in rows.add(word, values) })
        return try rows.table()
    }

    /// The same from bytes in memory (`file` names them in errors; the format is detected).
    public static func parse(_ data: Data, file: String) throws -> VectorTable {
        var rows = VectorImport(file: file)
        try VectorStream.read(data, file: file, format: nil, layout: { rows.begin($0) }, row: { word, values, _ in rows.add(word, values) })
        return try rows.table()
    }

    /// FNV-1a 64 over the words joined by newlines, as 16 hex digits (`VectorIdentity`).
    public static func hash(words: [String]) -> String {
        var h = FNV1a()
        for (i, w) in words.enumerated() {
            if i > 0 { h.add(UInt64(0x0A)) }
            var w = w
            w.withUTF8 { h.add(bytes: UnsafeRawBufferPointer($0)) }
        }
        return String(format: "%016llx", h.value)
    }

    public func id(_ word: String) -> Int32 { vocabulary.index[word] ?? unknownID }

    /// Token ids of normalised text; words outside the vocabulary become "<unk>".
    public func encode(_ normalized: String) -> [Int32] { vocabulary.encode(normalized) }

    /// Unit-table rows as a pointer for BLAS (the array is immutable, so the pointer is stable
    /// for the duration of `body`).
    @inline(__always)
    func withUnit<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try unit.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

extension VectorTable {
    /// The `count` words nearest any of `words` (cosine of the unit vectors), each with its
    /// similarity to the nearest theme word (the theme words themselves 0.8, about their nearest
    /// neighbours' similarity, so they are not raised far above the rest), for a song's theme.
    /// Words outside the vocabulary are skipped; throws when none is in it. "<unk>" and the
    /// newline are never theme words.
    public func neighbourhood(of words: [String], count: Int = 150) throws -> [String: Float] {
        let ids = words.compactMap { vocabulary.index[$0] }.filter { $0 != unknownID && $0 != newlineID }
        guard !ids.isEmpty else {
            throw LyricsError("theme: none of \(words.map { "'\($0)'" }.joined(separator: ", ")) is in the vectors' vocabulary (\(self.count) words)")
        }
        let D = dimension, V = self.count
        var best = [Float](repeating: -.infinity, count: V)
        var scores = [Float](repeating: 0, count: V)
        withUnit { u in
            for id in ids {
                scores.withUnsafeMutableBufferPointer { BLAS.gemv(false, V, D, 1, u, D, u + Int(id) * D, 0, $0.baseAddress!) }
                for w in 0..<V where scores[w] > best[w] { best[w] = scores[w] }
            }
        }
        best[Int(unknownID)] = -.infinity
        best[Int(newlineID)] = -.infinity
        var top = [Candidate]()
        best.withUnsafeBufferPointer { TopK.select($0, k: count, into: &top) }
        var out = [String: Float]()
        for c in top where c.logit > 0 { out[self.words[Int(c.token)]] = min(1, c.logit) }
        for id in ids { out[self.words[Int(id)]] = 0.8 }
        return out
    }
}
