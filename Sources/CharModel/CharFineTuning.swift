import Foundation
import LyricsCore
import NeuralNet

/// Characters of a text that a model's vocabulary lacks, with how often each occurs. Fine-tuning
/// keeps the base vocabulary (the output layer's shape depends on it), so such characters are
/// dropped from the small corpus and this says which and how many.
public struct VocabularyCoverage: Sendable, Equatable {
    public var missing: [(byte: UInt8, count: Int)]
    public var total: Int

    public static func == (a: Self, b: Self) -> Bool {
        a.total == b.total && a.missing.map(\.byte) == b.missing.map(\.byte) && a.missing.map(\.count) == b.missing.map(\.count)
    }

    public init(text: String, vocabulary: CharVocabulary) {
        var counts = [Int](repeating: 0, count: 256)
        var total = 0
        for b in text.utf8 {
            total += 1
            if vocabulary.id(of: b) == nil { counts[Int(b)] += 1 }
        }
        self.total = total
        missing = (0..<256).filter { counts[$0] > 0 }.map { (UInt8($0), counts[$0]) }
    }

    public var isComplete: Bool { missing.isEmpty }
    public var missingCount: Int { missing.reduce(0) { $0 + $1.count } }

    /// e.g. `2 characters of 9021 are not in the base vocabulary and are skipped: 'q' x1, '\n' x1`
    public var summary: String {
        let list = missing.map { m -> String in
            let c = m.byte == 0x0A ? "\\n" : m.byte == 0x20 ? "space" : String(decoding: [m.byte], as: UTF8.self)
            return "'\(c)' x\(m.count)"
        }
        return "\(missingCount) characters of \(total) are not in the base vocabulary and are skipped: " + list.joined(separator: ", ")
    }
}

/// Continues a trained char model on a new (usually small) text: same architecture and
/// vocabulary, base weights, a fresh Adam state and a fresh schedule (typically a lower peak
/// learning rate). `fromScratch` builds the same architecture with new random weights instead,
/// the baseline fine-tuning is compared against.
public enum CharFineTuning {
    /// A trainer for the new text, its starting weights validated: when fine-tuning, the base's
    /// score on the new text is the score to beat, so early stopping can never leave a model
    /// worse on validation than the one it started from.
    public static func trainer(base: CharCheckpoint.Loaded, options: CharTrainingOptions, train: [Int32], valid: [Int32],
                               fromScratch: Bool = false) throws -> CharTrainer {
        let trainer = try CharTrainer(config: base.config, vocabulary: base.vocabulary, options: options, train: train, valid: valid)
        if !fromScratch {
            try SequenceCheckpoint.readModelWeights(base.file, into: trainer.model.parameters)
        }
        trainer.validateStartingWeights()
        return trainer
    }
}
