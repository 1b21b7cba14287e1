import Foundation
import LyricsCore
import NeuralNet

/// How to train a character model (the shared plan; see `SequenceTrainingOptions`).
public typealias CharTrainingOptions = SequenceTrainingOptions
/// A char run's progress: only the shared counters.
public typealias CharTrainingState = SequenceTrainingState<NoTrainingRecord<CharModel>>
/// Truncated BPTT for the character model; the loop is `SequenceTrainer`'s.
public typealias CharTrainer = SequenceTrainer<CharModel>

/// The character model trains on character ids, reports bits per character and validates on
/// the bits per character of held-out ids.
extension CharModel: TrainableSequenceModel {
    public typealias Record = NoTrainingRecord<CharModel>

    public static var tokenNoun: String { "characters" }

    public func reportedLoss(nats: Double, count: Int) -> Double {
        nats / Foundation.log(2.0) / Double(max(count, 1))
    }

    public func validationBits(on heldOut: [Int32], scoredBy evaluator: CharModel) -> Double {
        evaluator.copyParameters(from: self)
        return evaluator.bitsPerCharacter(heldOut).bits
    }
}

extension SequenceTrainer where Model == CharModel {
    public convenience init(config: CharModelConfig, vocabulary: CharVocabulary, options: CharTrainingOptions,
                            train: [Int32], valid: [Int32]) throws {
        try self.init(options: options, train: train, valid: valid) { batch, maxSteps in
            CharModel(config: config, vocabulary: vocabulary, batch: batch, maxSteps: maxSteps, seed: options.seed)
        }
    }

    /// The validation text's character ids.
    public var validIDs: [Int32] { valid }
}
