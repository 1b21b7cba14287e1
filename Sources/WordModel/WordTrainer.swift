import Foundation
import LyricsCore
import NeuralNet

/// How to train a word model (the shared plan; see `SequenceTrainingOptions`).
public typealias WordTrainingOptions = SequenceTrainingOptions
/// A word run's progress: the shared counters plus `WordTrainingRecord` (`state.history`, ...).
public typealias WordTrainingState = SequenceTrainingState<WordTrainingRecord>
/// Truncated BPTT for the word model: `SequenceTrainer`'s loop, validated on the bits per
/// character of the validation text. Cosine models refine their kappa with one Newton step per
/// validation and are fitted fully by `finish()`.
public typealias WordTrainer = SequenceTrainer<WordModel>

/// One point of the loss curve: mean training loss since the previous point (bits per word for
/// vMF, mean 1 − cos for cosine) and validation bits per character.
public struct LossPoint: Codable, Equatable, Sendable {
    public var step: Int
    public var seconds: Double
    public var trainLoss: Double
    public var validBitsPerCharacter: Double
}

/// What a word run keeps beyond the shared counters: the loss curve the comparison report plots
/// and the kappa of the best validation (where `finish()` starts its fit).
public struct WordTrainingRecord: TrainingRecord {
    public var bestKappa: Float?
    public var history: [LossPoint] = []
    /// Training loss summed since the last validation (for the next history point).
    public var pendingLoss = 0.0
    public var pendingCount = 0

    public init() {}

    public mutating func recordStep(loss: Double) {
        pendingLoss += loss
        pendingCount += 1
    }

    /// The evaluator holds the kappa the validation was scored with (the training model's may
    /// since have taken a Newton step).
    public mutating func recordValidation(bits: Double, step: Int, seconds: Double, improved: Bool, scoredBy evaluator: WordModel) {
        history.append(LossPoint(step: step, seconds: seconds, trainLoss: pendingLoss / Double(max(pendingCount, 1)),
                                 validBitsPerCharacter: bits))
        pendingLoss = 0
        pendingCount = 0
        if improved { bestKappa = evaluator.kappa }
    }
}

/// The word model trains on word ids, reports bits per word (vMF) or 1 − cos (cosine) and
/// validates on the bits per character of a held-out text.
extension WordModel: TrainableSequenceModel {
    public typealias Record = WordTrainingRecord

    public static var tokenNoun: String { "words" }

    public func reportedLoss(nats: Double, count: Int) -> Double {
        let scale = config.loss == .vmf ? 1 / Foundation.log(2.0) : 1
        return nats * scale / Double(max(count, 1))
    }

    /// For cosine models also takes one Newton step on kappa (warm-started from the last one).
    public func validationBits(on heldOut: HeldOutText, scoredBy evaluator: WordModel) -> Double {
        evaluator.copyParameters(from: self)
        let st = evaluator.score(heldOut.ids)
        if config.loss == .cosine, st.d2Kappa > 0 {
            // One damped Newton step (at most doubling or halving); `finish` does the exact fit.
            let k = Double(kappa)
            let next = k - st.dKappa / st.d2Kappa
            kappa = Float(next.isFinite ? min(max(next, k / 2), k * 2) : k)
        }
        return heldOut.bitsPerCharacter(nats: st.nats)
    }
}

extension SequenceTrainer where Model == WordModel {
    public convenience init(config: WordModelConfig, table: VectorTable, options: WordTrainingOptions,
                            train: [Int32], valid: HeldOutText) throws {
        try self.init(options: options, train: train, valid: valid) { batch, maxSteps in
            WordModel(config: config, table: table, batch: batch, maxSteps: maxSteps, seed: options.seed)
        }
        guard !valid.ids.isEmpty else { throw LyricsError("validation text is empty") }
    }

    /// Makes the final model: the best validated weights when validation ever got worse than the
    /// best, and for cosine models a full maximum-likelihood fit of kappa on the validation text.
    /// Returns the final validation bits per character.
    @discardableResult
    public func finish() -> Double {
        if let best = state.bestValidBits, let last = state.lastValidBits, last > best {
            restoreBestParameters()
        }
        evalModel.copyParameters(from: model)
        if model.config.loss == .cosine {
            model.kappa = evalModel.fitKappa(valid.ids, start: state.bestKappa ?? model.kappa)
        }
        return valid.bitsPerCharacter(nats: evalModel.score(valid.ids).nats)
    }
}
