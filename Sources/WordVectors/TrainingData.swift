import Foundation
import LyricsCore

/// The token stream the trainer sees: a corpus file read and normalised (`CorpusStream`, the same
/// text as `Corpus`), optionally cut to one part of the fixed split, counted into a `Vocabulary`
/// and encoded with "</s>" at line ends and "<unk>" for rare words. Only the ids stay resident,
/// two bytes a token (`TokenIDs`: 51 MB for the 25M-token corpus).
public struct TrainingData {
    public let vocabulary: Vocabulary
    public let tokens: TokenIDs

    public init(vocabulary: Vocabulary, tokens: [Int32]) {
        self.vocabulary = vocabulary
        self.tokens = TokenIDs(tokens)
    }

    init(vocabulary: Vocabulary, tokenIDs: TokenIDs) {
        self.vocabulary = vocabulary
        tokens = tokenIDs
    }

    /// Streams the corpus twice, a chunk at a time: once to count words, once to encode them into
    /// compact ids reserved to their exact final size. Neither the normalised text nor a grown copy
    /// of the ids is ever resident, so the peak is the ids plus one chunk (the full corpus: 51 MB of
    /// ids instead of ~120 MB of text + 101 MB of 4-byte ids while encoding).
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
        var tokens = TokenIDs()
        tokens.reserveCapacity(vocab.totalCount)
        try CorpusStream.forEachPiece(path: path, part: part, chunkBytes: chunkBytes) { tokens.append(contentsOf: vocab.encode($0)) }
        return TrainingData(vocabulary: vocab, tokenIDs: tokens)
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
            let n = tokens.count
            try tokens.forEachChunk { ids, first in
                for (k, t) in ids.enumerated() {
                    let i = first + k
                    buf += spelled[Int(t)]
                    buf.append((i + 1) % wordsPerLine == 0 || i + 1 == n ? 0x0A : 0x20)
                    if buf.count >= 1 << 20 { try handle.write(contentsOf: buf); buf.removeAll(keepingCapacity: true) }
                }
            }
            try handle.write(contentsOf: buf)
        }
    }
}
