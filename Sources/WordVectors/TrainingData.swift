import Foundation
import LyricsCore

/// The token stream the trainer sees: a corpus file read and normalised (`CorpusStream`, the same
/// text as `Corpus`), optionally cut to one part of the fixed split, counted into a `Vocabulary`
/// and encoded with "</s>" at line ends and "<unk>" for rare words. Only the 4-byte ids stay
/// resident (101 MB for the 25M-token corpus).
public struct TrainingData {
    public let vocabulary: Vocabulary
    public let tokens: [Int32]

    public init(vocabulary: Vocabulary, tokens: [Int32]) {
        self.vocabulary = vocabulary
        self.tokens = tokens
    }

    /// Streams the corpus twice, a chunk at a time: once to count words, once to encode them into
    /// an array reserved to its exact final size. Neither the normalised text nor a grown copy of
    /// the ids is ever resident, so the peak is the ids plus one chunk (the full corpus: 101 MB of
    /// ids instead of ~120 MB of text + 101 MB of ids while encoding).
    public static func load(corpus path: String, part: CorpusSplit.Part, minCount: Int) throws -> TrainingData {
        try load(corpus: path, part: part, minCount: minCount, chunkBytes: CorpusStream.chunkBytes)
    }

    static func load(corpus path: String, part: CorpusSplit.Part, minCount: Int, chunkBytes: Int) throws -> TrainingData {
        var counts = [String: Int]()
        var empty = true
        try CorpusStream.forEachPiece(path: path, part: part, chunkBytes: chunkBytes) { piece in
            if !piece.isEmpty { empty = false }
            Vocabulary.countTokens(piece, into: &counts)
        }
        if empty { throw emptyError(path, part) }
        let vocab = try Vocabulary.build(counts: counts, minCount: minCount, file: path)
        counts = [:]
        var tokens = [Int32]()
        tokens.reserveCapacity(vocab.totalCount)
        try CorpusStream.forEachPiece(path: path, part: part, chunkBytes: chunkBytes) { tokens += vocab.encode($0) }
        return TrainingData(vocabulary: vocab, tokens: tokens)
    }

    static func emptyError(_ path: String, _ part: CorpusSplit.Part) -> LyricsError {
        LyricsError(file: path, part == .all ? "corpus is empty (no letters after normalisation)"
                                             : "the \(part.rawValue) part of the corpus is empty")
    }

    /// From text already normalised and cut to `part` (a corpus of songs, read whole).
    public static func load(normalized text: String, file path: String, part: CorpusSplit.Part, minCount: Int) throws -> TrainingData {
        guard !text.isEmpty else { throw emptyError(path, part) }
        let vocab = try Vocabulary.build(from: text, minCount: minCount, file: path)
        return TrainingData(vocabulary: vocab, tokens: vocab.encode(text))
    }

    /// The stream as text with rare words already replaced by "<unk>" and "</s>" as a word, in lines
    /// of at most `wordsPerLine` tokens: gensim fed these lines builds exactly our vocabulary.
    public func writeTokenLines(to path: String, wordsPerLine: Int = 10_000) throws {
        try AtomicFile.write(to: path) { handle in
            var buf = [UInt8]()
            buf.reserveCapacity(1 << 20)
            let spelled = vocabulary.words.map { Array($0.utf8) }
            for (i, t) in tokens.enumerated() {
                buf += spelled[Int(t)]
                buf.append((i + 1) % wordsPerLine == 0 || i + 1 == tokens.count ? 0x0A : 0x20)
                if buf.count >= 1 << 20 { try handle.write(contentsOf: buf); buf.removeAll(keepingCapacity: true) }
            }
            try handle.write(contentsOf: buf)
        }
    }
}
