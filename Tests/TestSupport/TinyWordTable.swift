import Foundation
import LyricsCore
import WordVectors
import WordModel

/// The shared sample verse and a random vector table over its words (plus "<unk>" and "</s>")
/// so tests run in milliseconds without a trained vector file.
public enum Tiny {
    public static let text = SampleVerse.sonnet

    public static func embedding(dimension: Int = 6, seed: UInt64 = 3, dropWords: Set<String> = [], withUnknown: Bool = true) -> WordEmbedding {
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

    public static func table(dimension: Int = 6, seed: UInt64 = 3, dropWords: Set<String> = ["thee", "gold"]) -> VectorTable {
        try! VectorTable(embedding: embedding(dimension: dimension, seed: seed, dropWords: dropWords), path: "tiny.vec")
    }

    public static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "wordmodel-tests-\(UInt32.random(in: 0...UInt32.max))"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// A tiny word-model trainer on the sample verse (3 streams of 5 words, validation on one line).
    public static func trainingOptions() -> WordTrainingOptions {
        var o = WordTrainingOptions()
        o.batch = 3; o.sequenceLength = 5; o.learningRate = 1e-2; o.epochs = 4
        o.evalEvery = 3; o.patience = 0; o.evalBatch = 2; o.seed = 9
        return o
    }

    public static func trainer(_ loss: WordLoss, table: VectorTable = Tiny.table(), dropout: Float = 0.2, fineTune: Bool = false) throws -> WordTrainer {
        let ids = table.encode(Tiny.text)
        let cut = ids.count * 3 / 4
        let spelling = SpellingModel(trainingText: Tiny.text)
        let valid = HeldOutText(normalized: "and every fair from fair sometime declines\n", table: table, spelling: spelling)
        let config = WordModelConfig(loss: loss, layers: 2, hiddenSize: 8, dropout: dropout, fineTuneVectors: fineTune)
        return try WordTrainer(config: config, table: table, options: trainingOptions(), train: Array(ids[..<cut]), valid: valid)
    }
}
