import Foundation
import LyricsCore
import NeuralNet

/// Words of a text that the vector vocabulary lacks (they are read as "<unk>"). Word models
/// share one vector file, so fine-tuning cannot add words; this says how much of the small
/// corpus that affects.
public struct WordCoverage: Sendable, Equatable {
    public var tokens = 0
    public var unknown = 0
    /// The most frequent missing words with their counts, most frequent first.
    public var topMissing: [String] = []

    public init(text: String, table: VectorTable, listing: Int = 8) {
        var counts = [String: Int]()
        WordTokenizer.forEachToken(in: text) { w in
            tokens += 1
            if table.index[w] == nil { unknown += 1; counts[w, default: 0] += 1 }
        }
        topMissing = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(listing).map { "\($0.key) x\($0.value)" }
    }

    public var summary: String {
        let pct = tokens > 0 ? 100 * Double(unknown) / Double(tokens) : 0
        return String(format: "%d of %d words (%.1f%%) are not in the vectors' vocabulary and are read as <unk>", unknown, tokens, pct)
            + (topMissing.isEmpty ? "" : ": " + topMissing.joined(separator: ", "))
    }
}

/// Continues a trained word model on a new text: same vectors (so the vocabulary and every
/// shape match), base weights and kappa, fresh Adam state and schedule. `fromScratch` keeps
/// only the architecture, for the baseline.
public enum WordFineTuning {
    /// When fine-tuning, the base weights are the initial best and their validation score on the
    /// new text is the one to beat, so early stopping never ends worse than the start.
    public static func trainer(base: WordCheckpoint.Loaded, table: VectorTable, options: WordTrainingOptions,
                               train: [Int32], valid: HeldOutText, fromScratch: Bool = false) throws -> WordTrainer {
        let trainer = try WordTrainer(config: base.config, table: table, options: options, train: train, valid: valid)
        if !fromScratch {
            try base.vectors.check(against: table.identity, modelPath: base.path)
            try SequenceCheckpoint.readModelWeights(base.file, into: trainer.model.parameters)
            trainer.model.kappa = base.kappa
        }
        trainer.validateStartingWeights()
        return trainer
    }
}
