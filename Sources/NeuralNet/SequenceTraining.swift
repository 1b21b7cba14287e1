import Foundation
import LyricsCore

/// How to train a sequence model (char or word). Stored in checkpoints as JSON so a resumed run
/// continues the same plan; the key names are the property names.
public struct SequenceTrainingOptions: Codable, Equatable, Sendable {
    public var sequenceLength = 100
    public var batch = 32
    public var learningRate: Float = 2e-3
    /// Fraction of training spent warming the learning rate up linearly.
    public var warmup = 0.02
    /// The cosine decay ends at learningRate x this.
    public var finalLearningRateFraction: Float = 0.1
    /// Global gradient-norm clipping threshold (0 = off).
    public var clipNorm: Float = 5
    /// Stop after this many passes over the training text ...
    public var epochs: Double?
    /// ... or after this much training time; when both are set, whichever comes first.
    public var minutes: Double?
    /// Validate every this many steps; early stopping counts validations without improvement.
    public var evalEvery = 200
    public var patience = 5
    /// Streams scored in parallel when validating.
    public var evalBatch = 16
    public var seed: UInt64 = 1
    /// Stop (resumably, without finishing) after this many steps in total; the schedule is
    /// still the one `epochs`/`minutes` plan. Nil: run the plan to its end.
    public var maxSteps: Int?
    /// The precision of the training model's matrix products (nil: fp32, as files written before
    /// the option read); validation and every later use of the weights run fp32.
    public var precision: Precision?
    /// Word models (vMF): words drawn per step for the training softmax's normaliser, besides
    /// the chunk's targets (nil or 0: the exact normaliser over the whole vocabulary; also when
    /// the vocabulary is under four times this, where the exact one is cheap). Validation is
    /// always exact. Word runs default to 2048 (speed and the validation curve against the exact
    /// normaliser: docs/bench-lstm.md).
    public var negatives: Int?

    public init() {}

    /// The plan a character model trains with unless told otherwise (picked for a 20-minute
    /// CPU budget on verse-2m: docs/bench-char.md).
    public static var charDefaults: SequenceTrainingOptions {
        var o = SequenceTrainingOptions()
        o.sequenceLength = 64; o.batch = 32; o.learningRate = 3e-3; o.evalEvery = 500
        return o
    }

    /// The plan a word model trains with unless told otherwise.
    public static var wordDefaults: SequenceTrainingOptions {
        var o = SequenceTrainingOptions()
        o.sequenceLength = 35; o.batch = 32; o.learningRate = 2e-3; o.evalEvery = 100; o.negatives = 2048
        return o
    }

    /// The plan `char fine-tune` starts from: a trained char model continues at peak rate 1e-3,
    /// validating every 50 steps (a small corpus has few steps per epoch).
    public static func charFineTuning(fromScratch: Bool) -> SequenceTrainingOptions {
        charDefaults.fineTuning(fromScratch: fromScratch, rate: 1e-3, evalEvery: 50)
    }

    /// The plan `word fine-tune` starts from: peak rate 5e-4, validation every 25 steps.
    public static func wordFineTuning(fromScratch: Bool) -> SequenceTrainingOptions {
        wordDefaults.fineTuning(fromScratch: fromScratch, rate: 5e-4, evalEvery: 25)
    }

    /// Fine-tuning on a small corpus: smaller batches, frequent validation and, from trained
    /// weights, a lower peak learning rate `rate` (from scratch: the model's usual rate).
    public func fineTuning(fromScratch: Bool, rate: Float, evalEvery: Int) -> SequenceTrainingOptions {
        var o = self
        o.batch = 16
        o.evalEvery = evalEvery
        if !fromScratch { o.learningRate = rate }
        return o
    }
}

/// What `SequenceTrainer` needs from a model. Char and word models differ in what they read
/// (ids into an embedding, or frozen vectors), how they score (softmax over characters, or a
/// vector head) and what they validate on, but train through the same truncated-BPTT loop.
public protocol TrainableSequenceModel: AnyObject {
    /// The held-out data validation scores (character ids, or a word text with spelling costs).
    associatedtype HeldOut
    /// What this model's runs keep beyond the shared counters of `SequenceTrainingState`.
    associatedtype Record: TrainingRecord where Record.Model == Self
    /// What the training ids are, for messages ("characters", "words").
    static var tokenNoun: String { get }
    var batch: Int { get }
    var maxSteps: Int { get }
    var parameters: ParameterSet { get }
    /// The layers; checkpoints save their carried recurrent state.
    var stack: LayerStack { get }
    /// Draws dropout masks; part of the training state.
    var random: RandomSource { get }
    func resetState()
    /// Forward, loss and backward for one time-major chunk; gradients of the mean loss per scored
    /// target are added to `parameters.gradients`. Returns the summed loss and the targets scored.
    func trainStep(inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, steps: Int) -> (nats: Double, count: Int)
    /// The mean loss a training step reports, in the model's own unit (e.g. bits per character).
    func reportedLoss(nats: Double, count: Int) -> Double
    /// Validation bits per character of this model's weights, scored by `evaluator` (a model of
    /// the same configuration built for the validation batch). A model may also refit values
    /// that gradients do not train here (the cosine word model's kappa).
    func validationBits(on heldOut: HeldOut, scoredBy evaluator: Self) -> Double
    /// Once, when a run ends with the best weights in place: the final validation bits per
    /// character, after refitting what gradients do not train (the cosine model's kappa).
    func finishTraining(on heldOut: HeldOut, scoredBy evaluator: Self, record: Record) -> Double
}

extension TrainableSequenceModel {
    /// Most models have nothing to refit: the final score is a plain validation.
    public func finishTraining(on heldOut: HeldOut, scoredBy evaluator: Self, record: Record) -> Double {
        validationBits(on: heldOut, scoredBy: evaluator)
    }
}

/// One point of a run's loss curve: mean training loss since the previous point (in the model's
/// unit: bits per character, bits per word for vMF, 1 − cos for cosine; nil for a point taken
/// before any step, as fine-tuning's starting score) and validation bits per character.
public struct LossPoint: Codable, Equatable, Sendable {
    public var step: Int
    public var seconds: Double
    public var trainLoss: Double?
    public var validBitsPerCharacter: Double

    public init(step: Int, seconds: Double, trainLoss: Double?, validBitsPerCharacter: Double) {
        self.step = step
        self.seconds = seconds
        self.trainLoss = trainLoss
        self.validBitsPerCharacter = validBitsPerCharacter
    }
}

/// Progress a model's runs record beyond the shared counters (e.g. the word model's loss curve).
/// Its fields are stored flat beside the shared ones in the checkpoint's `state` JSON, so the
/// file keeps one object with the same keys whichever model wrote it.
public protocol TrainingRecord: Codable, Equatable, Sendable {
    associatedtype Model
    init()
    /// After every training step, with the loss it reported.
    mutating func recordStep(loss: Double)
    /// After every validation: its bits per character, the run's step and training time so far,
    /// whether it is the best yet, and the model that scored it.
    mutating func recordValidation(bits: Double, step: Int, seconds: Double, improved: Bool, scoredBy evaluator: Model)
}

/// The record of a model that keeps nothing extra (it writes no keys).
public struct NoTrainingRecord<Model>: TrainingRecord {
    public init() {}
    public init(from decoder: Decoder) throws {}
    public func encode(to encoder: Encoder) throws {}
    public mutating func recordStep(loss: Double) {}
    public mutating func recordValidation(bits: Double, step: Int, seconds: Double, improved: Bool, scoredBy evaluator: Model) {}
}

/// Everything about a run's progress that is not a tensor, stored in checkpoints. The model's
/// `record` fields read as if they were the state's own (`state.history`), as in the JSON.
@dynamicMemberLookup
public struct SequenceTrainingState<Record: TrainingRecord>: Codable, Equatable, Sendable {
    public var step = 0
    public var epoch = 0
    /// Offset of the next chunk inside every stream.
    public var position = 0
    public var elapsedSeconds = 0.0
    public var bestValidBits: Double?
    public var lastValidBits: Double?
    public var evalsSinceBest = 0
    public var stopReason: String?
    /// The loss curve: one point per validation (reports plot it for every model).
    public var history: [LossPoint] = []
    /// Training loss summed since the last validation (for the next history point).
    public var pendingLoss = 0.0
    public var pendingCount = 0
    public var record = Record()

    public init() {}

    /// Adds a step's loss to the pending history point.
    public mutating func recordStep(loss: Double) {
        pendingLoss += loss
        pendingCount += 1
        record.recordStep(loss: loss)
    }

    /// Closes a history point at a validation (train loss nil when no step ran since the last).
    public mutating func recordValidation(bits: Double) {
        history.append(LossPoint(step: step, seconds: elapsedSeconds,
                                 trainLoss: pendingCount > 0 ? pendingLoss / Double(pendingCount) : nil,
                                 validBitsPerCharacter: bits))
        pendingLoss = 0
        pendingCount = 0
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<Record, T>) -> T {
        get { record[keyPath: field] }
        set { record[keyPath: field] = newValue }
    }

    private enum CodingKeys: String, CodingKey {
        case step, epoch, position, elapsedSeconds, bestValidBits, lastValidBits, evalsSinceBest, stopReason
        case history, pendingLoss, pendingCount
    }

    /// Reads the shared keys, then lets the record read its own from the same object.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        step = try c.decode(Int.self, forKey: .step)
        epoch = try c.decode(Int.self, forKey: .epoch)
        position = try c.decode(Int.self, forKey: .position)
        elapsedSeconds = try c.decode(Double.self, forKey: .elapsedSeconds)
        bestValidBits = try c.decodeIfPresent(Double.self, forKey: .bestValidBits)
        lastValidBits = try c.decodeIfPresent(Double.self, forKey: .lastValidBits)
        evalsSinceBest = try c.decode(Int.self, forKey: .evalsSinceBest)
        stopReason = try c.decodeIfPresent(String.self, forKey: .stopReason)
        history = try c.decodeIfPresent([LossPoint].self, forKey: .history) ?? []
        pendingLoss = try c.decodeIfPresent(Double.self, forKey: .pendingLoss) ?? 0
        pendingCount = try c.decodeIfPresent(Int.self, forKey: .pendingCount) ?? 0
        record = try Record(from: decoder)
    }

    /// Writes the shared keys and the record's into one object (absent optionals are left out).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(epoch, forKey: .epoch)
        try c.encode(position, forKey: .position)
        try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try c.encodeIfPresent(bestValidBits, forKey: .bestValidBits)
        try c.encodeIfPresent(lastValidBits, forKey: .lastValidBits)
        try c.encode(evalsSinceBest, forKey: .evalsSinceBest)
        try c.encodeIfPresent(stopReason, forKey: .stopReason)
        try c.encode(history, forKey: .history)
        try c.encode(pendingLoss, forKey: .pendingLoss)
        try c.encode(pendingCount, forKey: .pendingCount)
        try record.encode(to: encoder)
    }
}

extension TrainableSequenceModel {
    /// Reads `sequence` the way held-out text is scored: each id predicted from the ones before
    /// it, the text cut into `batch` contiguous streams read in parallel, `maxSteps` at a time,
    /// with unscored (-1) targets padding the end of the last streams. `body` gets each chunk's
    /// time-major inputs and targets and its length. The carried state is reset before and after;
    /// a sequence with nothing to predict is not read at all.
    public func forEachScoringChunk(of sequence: [Int32],
                                    _ body: (_ inputs: UnsafePointer<Int32>, _ targets: UnsafePointer<Int32>, _ steps: Int) -> Void) {
        let n = sequence.count - 1
        guard n > 0 else { return }
        let B = batch, T = maxSteps
        let L = (n + B - 1) / B
        var inputs = [Int32](repeating: 0, count: T * B)
        var targets = [Int32](repeating: -1, count: T * B)
        resetState()
        var pos = 0
        while pos < L {
            let steps = min(T, L - pos)
            for t in 0..<steps {
                for b in 0..<B {
                    let i = b * L + pos + t
                    inputs[t * B + b] = i < n ? sequence[i] : 0
                    targets[t * B + b] = i < n ? sequence[i + 1] : -1
                }
            }
            inputs.withUnsafeBufferPointer { ip in
                targets.withUnsafeBufferPointer { tp in body(ip.baseAddress!, tp.baseAddress!, steps) }
            }
            pos += steps
        }
        resetState()
    }
}
