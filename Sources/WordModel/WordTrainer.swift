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

/// What a word run keeps beyond the shared counters: the kappa of the best validation (where
/// `finish()` starts its fit).
public struct WordTrainingRecord: TrainingRecord {
    public var bestKappa: Float?

    public init() {}

    public mutating func recordStep(loss: Double) {}

    /// The evaluator holds the kappa the validation was scored with (the training model's may
    /// since have taken a Newton step).
    public mutating func recordValidation(bits: Double, step: Int, seconds: Double, improved: Bool, scoredBy evaluator: WordModel) {
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

    /// Cosine models get a full maximum-likelihood fit of kappa on the validation text, started
    /// from the kappa of the best validation.
    /// Both losses also get the `prior` retrieval rule fitted on the validation text.
    public func finishTraining(on heldOut: HeldOutText, scoredBy evaluator: WordModel, record: WordTrainingRecord) -> Double {
        evaluator.copyParameters(from: self)
        if config.loss == .cosine {
            kappa = evaluator.fitKappa(heldOut.ids, start: record.bestKappa ?? kappa)
            evaluator.kappa = kappa
        }
        evaluator.unigram = unigram
        retrievalPrior = evaluator.fitRetrievalPrior(on: heldOut.ids)
        return heldOut.bitsPerCharacter(nats: evaluator.score(heldOut.ids).nats)
    }
}

extension SequenceTrainer where Model == WordModel {
    public convenience init(config: WordModelConfig, table: VectorTable, options: WordTrainingOptions,
                            train: [Int32], valid: HeldOutText) throws {
        try self.init(options: options, train: train, valid: valid) { batch, maxSteps in
            WordModel(config: config, table: table, batch: batch, maxSteps: maxSteps, seed: options.seed)
        }
        guard !valid.ids.isEmpty else { throw LyricsError("validation text is empty") }
        model.unigram = RetrievalPrior.unigram(train, count: table.count)
        if config.loss == .vmf, let k = options.negatives, k > 0, 4 * k < table.count, let u = model.unigram {
            model.sampledSoftmax = SampledSoftmax(table: table, logUnigram: u, negatives: k, maxRows: model.batch * model.maxSteps)
        }
    }
}
