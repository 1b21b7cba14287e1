import Foundation
import LyricsCore

/// The token stream the trainer sees: a corpus file read and normalised (`CorpusStream`, the same
/// text as `Corpus`), optionally cut to one part of the fixed split, counted into a `Vocabulary`
/// and encoded with "</s>" at line ends and "<unk>" for rare words. The normalised text is dropped before training so that only the
/// 4-byte ids stay resident (101 MB for the 25M-token corpus).
public struct TrainingData {
    public let vocabulary: Vocabulary
    public let tokens: [Int32]

    public init(vocabulary: Vocabulary, tokens: [Int32]) {
        self.vocabulary = vocabulary
        self.tokens = tokens
    }

    public static func load(corpus path: String, part: CorpusSplit.Part, minCount: Int) throws -> TrainingData {
        try load(normalized: CorpusStream.normalizedText(path: path, part: part), file: path, part: part, minCount: minCount)
    }

    /// From text already normalised and cut to `part` (a corpus of songs, read whole).
    public static func load(normalized text: String, file path: String, part: CorpusSplit.Part, minCount: Int) throws -> TrainingData {
        guard !text.isEmpty else {
            throw LyricsError(file: path, part == .all ? "corpus is empty (no letters after normalisation)"
                                                       : "the \(part.rawValue) part of the corpus is empty")
        }
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
