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

/// One validation point of a fine-tuning (or from-scratch) run, for loss curves.
public struct TrainingPoint: Codable, Equatable, Sendable {
    public var step: Int
    public var seconds: Double
    /// Mean training bits per character since the previous point (nil at step 0).
    public var trainBits: Double?
    public var validBits: Double
}

/// A run's curve, written as JSON beside the checkpoint (`<checkpoint>.history.json`) so a
/// report can plot it without re-training.
public struct TrainingHistory: Codable, Equatable, Sendable {
    public var base: String?
    public var corpus: String
    public var fromScratch: Bool
    public var points: [TrainingPoint] = []

    public init(base: String?, corpus: String, fromScratch: Bool) {
        self.base = base
        self.corpus = corpus
        self.fromScratch = fromScratch
    }

    public static func path(forCheckpoint checkpoint: String) -> String { checkpoint + ".history.json" }

    public func write(to path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try enc.encode(self), to: path)
    }

    public static func read(_ path: String) throws -> TrainingHistory {
        do { return try JSONDecoder().decode(TrainingHistory.self, from: InputFile.read(path)) } catch let e as LyricsError {
            throw e
        } catch {
            throw LyricsError(file: path, "not a training history JSON file")
        }
    }
}

/// Continues a trained char model on a new (usually small) text: same architecture and
/// vocabulary, base weights, a fresh Adam state and a fresh schedule (typically a lower peak
/// learning rate). `fromScratch` builds the same architecture with new random weights instead,
/// the baseline fine-tuning is compared against.
public enum CharFineTuning {
    /// A trainer for the new text. When fine-tuning, the base weights are also the initial "best"
    /// and the base's validation score on the new text is the score to beat, so early stopping
    /// can never leave a model worse on validation than the one it started from.
    public static func trainer(base: CharCheckpoint.Loaded, options: CharTrainingOptions, train: [Int32], valid: [Int32],
                               fromScratch: Bool = false) throws -> CharTrainer {
        let trainer = try CharTrainer(config: base.config, vocabulary: base.vocabulary, options: options, train: train, valid: valid)
        if !fromScratch {
            try SequenceCheckpoint.readParameters(base.file, into: trainer.model.parameters)
            trainer.keepParametersAsBest()
        }
        return trainer
    }

    /// Runs `trainer` to the end of its plan (or `maxSteps`), recording validation points, and
    /// leaves the best-validating weights in the model. The first point is the starting weights'
    /// validation score at step 0.
    public static func run(_ trainer: CharTrainer, history: inout TrainingHistory, maxSteps: Int? = nil,
                           shouldStop: () -> Bool = { false }, onEvent: (CharTrainer.Event) -> Void = { _ in }) throws {
        if trainer.state.step == 0 {
            let v = trainer.validate()
            trainer.state.bestValidBits = v
            trainer.state.lastValidBits = v
            history.points.append(TrainingPoint(step: 0, seconds: 0, trainBits: nil, validBits: v))
        }
        var sum = 0.0, count = 0
        try trainer.run(maxSteps: maxSteps, shouldStop: shouldStop) { event in
            switch event {
            case .step(let bits, _):
                sum += bits
                count += 1
            case .validation(let bits, _, _):
                history.points.append(TrainingPoint(step: trainer.state.step, seconds: trainer.state.elapsedSeconds,
                                                    trainBits: count > 0 ? sum / Double(count) : nil, validBits: bits))
                sum = 0
                count = 0
            }
            onEvent(event)
        }
        restoreBest(trainer)
    }

    /// Puts the best validation weights back when the last validation was worse.
    public static func restoreBest(_ trainer: CharTrainer) {
        guard let best = trainer.state.bestValidBits, let last = trainer.state.lastValidBits, best < last else { return }
        trainer.restoreBestParameters()
        trainer.state.lastValidBits = best
    }
}
