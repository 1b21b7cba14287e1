import Foundation
import LyricsCore
import TestSupport
import WordVectors
@testable import WordModel

/// The shared sample verse and a random vector table over its words (plus "<unk>" and "</s>")
/// so tests run in milliseconds without a trained vector file.
enum Tiny {
    static let text = SampleVerse.sonnet

    static func embedding(dimension: Int = 6, seed: UInt64 = 3, dropWords: Set<String> = [], withUnknown: Bool = true) -> WordEmbedding {
        var words = [WordTokenizer.newline]
        if withUnknown { words.append(Vocabulary.unknown) }
        var seen = Set(words)
        for w in WordTokenizer.tokenize(text) where !seen.contains(w) && !dropWords.contains(w) {
            seen.insert(w)
            words.append(w)
        }
        var rng = SeededRandom(seed: seed)
        let vectors = (0..<(words.count * dimension)).map { _ in rng.nextGaussian() }
        return WordEmbedding(words: words, dimensions: dimension, vectors: vectors)
    }

    static func table(dimension: Int = 6, seed: UInt64 = 3, dropWords: Set<String> = ["thee", "gold"]) -> VectorTable {
        try! VectorTable(embedding: embedding(dimension: dimension, seed: seed, dropWords: dropWords), path: "tiny.vec")
    }

    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "wordmodel-tests-\(UInt32.random(in: 0...UInt32.max))"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }
}
