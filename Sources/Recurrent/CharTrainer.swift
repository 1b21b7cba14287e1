import Foundation
import LyricsCore

/// How to train a character model. Stored in checkpoints so a resumed run continues the same plan.
public struct CharTrainingOptions: Codable, Equatable, Sendable {
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

    public init() {}
}

/// Everything about a run's progress that is not a tensor, stored in checkpoints.
public struct CharTrainingState: Codable, Equatable, Sendable {
    public var step = 0
    public var epoch = 0
    /// Offset of the next chunk inside every stream.
    public var position = 0
    public var elapsedSeconds = 0.0
    public var bestValidBits: Double?
    public var lastValidBits: Double?
    public var evalsSinceBest = 0
    public var stopReason: String?
    public init() {}
}

/// Truncated BPTT over `batch` parallel streams: the training text is cut into `batch`
/// contiguous streams, each step trains on the next `sequenceLength` symbols of every stream and
/// the recurrent state carries over to the next chunk (reset at each epoch). Adam with global
/// norm clipping; warmup + cosine learning rate over the planned steps or the time budget;
/// validation every `evalEvery` steps with early stopping that restores the best weights.
public final class CharTrainer {
    public let options: CharTrainingOptions
    public let model: CharModel
    public let evalModel: CharModel
    public let adam: Adam
    public let trainIDs: [Int32]
    public let validIDs: [Int32]
    public var state = CharTrainingState()
    /// The weights of the best validation so far (restored when stopping early).
    public let bestParameters: FloatBuffer
    public let streamLength: Int
    public let stepsPerEpoch: Int
    public let schedule: LearningRateSchedule
    private var inputs: [Int32]
    private var targets: [Int32]

    public init(config: CharModelConfig, vocabulary: CharVocabulary, options: CharTrainingOptions,
                train: [Int32], valid: [Int32]) throws {
        let B = options.batch, T = options.sequenceLength
        guard B >= 1, T >= 1 else { throw LyricsError("batch and sequence length must be positive") }
        streamLength = train.count / B
        guard streamLength > T else {
            throw LyricsError("training text too short: \(train.count) characters for \(B) streams of more than \(T)")
        }
        self.options = options
        trainIDs = train
        validIDs = valid
        stepsPerEpoch = (streamLength - 1) / T
        model = CharModel(config: config, vocabulary: vocabulary, batch: B, maxSteps: T, seed: options.seed)
        evalModel = CharModel(config: config, vocabulary: vocabulary, batch: max(1, options.evalBatch), maxSteps: T, seed: options.seed)
        adam = Adam(parameters: model.parameters)
        bestParameters = FloatBuffer(count: model.parameters.count)
        bestParameters.pointer.update(from: model.parameters.values.pointer, count: model.parameters.count)
        schedule = LearningRateSchedule(peak: options.learningRate, warmup: options.warmup,
                                        finalFraction: options.finalLearningRateFraction)
        inputs = [Int32](repeating: 0, count: B * T)
        targets = [Int32](repeating: 0, count: B * T)
    }

    /// Steps planned by `epochs` (nil when only a time budget is set).
    public var plannedSteps: Int? {
        options.epochs.map { max(1, Int(($0 * Double(stepsPerEpoch)).rounded(.up))) }
    }

    /// Fraction of the plan done: steps over planned steps and/or time over the budget.
    public var progress: Double {
        var p = 0.0
        if let planned = plannedSteps { p = max(p, Double(state.step) / Double(planned)) }
        if let m = options.minutes, m > 0 { p = max(p, state.elapsedSeconds / (m * 60)) }
        return min(p, 1)
    }

    public var isFinished: Bool { state.stopReason != nil || progress >= 1 }

    public var learningRate: Float { schedule.rate(progress: progress) }

    /// One chunk of every stream: forward, backward, clip, Adam. Returns the chunk's bits/char.
    @discardableResult
    public func trainStep() -> Double {
        let B = options.batch, T = options.sequenceLength, L = streamLength
        if state.position + T >= L {
            state.position = 0
            state.epoch += 1
            model.resetState()
        }
        let pos = state.position
        trainIDs.withUnsafeBufferPointer { ids in
            for t in 0..<T {
                for b in 0..<B {
                    let i = b * L + pos + t
                    inputs[t * B + b] = ids[i]
                    targets[t * B + b] = ids[i + 1]
                }
            }
        }
        model.parameters.zeroGradients()
        let lr = learningRate
        let r = inputs.withUnsafeBufferPointer { ip in
            targets.withUnsafeBufferPointer { tp in model.trainStep(inputs: ip.baseAddress!, targets: tp.baseAddress!, steps: T) }
        }
        model.parameters.clipGradients(maxNorm: options.clipNorm)
        adam.step(learningRate: lr)
        state.position += T
        state.step += 1
        return r.nats / Foundation.log(2.0) / Double(max(r.count, 1))
    }

    /// Validation bits per character with the current weights (training state is untouched).
    public func validate() -> Double {
        evalModel.copyParameters(from: model)
        return evalModel.bitsPerCharacter(validIDs).bits
    }

    public enum Event {
        case step(bits: Double, learningRate: Float)
        case validation(bits: Double, best: Double, improved: Bool)
    }

    /// Trains until the plan is done, early stopping triggers, `maxSteps` total steps are reached
    /// or `shouldStop` returns true (checked between steps, e.g. set by Ctrl-C). `save` is called
    /// every `saveEvery` seconds and never inside a step, so a checkpoint always holds a step boundary.
    public func run(maxSteps: Int? = nil, saveEvery: Double = .infinity, shouldStop: () -> Bool = { false },
                    save: () throws -> Void = {}, onEvent: (Event) -> Void = { _ in }) throws {
        var lastSave = Date()
        while !isFinished {
            if shouldStop() { state.stopReason = nil; return }
            if let maxSteps, state.step >= maxSteps { return }
            let t0 = Date()
            let bits = trainStep()
            state.elapsedSeconds += Date().timeIntervalSince(t0)
            onEvent(.step(bits: bits, learningRate: learningRate))
            if options.evalEvery > 0, state.step % options.evalEvery == 0 || isFinished {
                let t1 = Date()
                evaluateAndMaybeStop(onEvent)
                state.elapsedSeconds += Date().timeIntervalSince(t1)
            }
            if Date().timeIntervalSince(lastSave) >= saveEvery {
                try save()
                lastSave = Date()
            }
        }
        if state.stopReason == nil { state.stopReason = "finished" }
    }

    private func evaluateAndMaybeStop(_ onEvent: (Event) -> Void) {
        let v = validate()
        state.lastValidBits = v
        let improved = state.bestValidBits.map { v < $0 } ?? true
        if improved {
            state.bestValidBits = v
            state.evalsSinceBest = 0
            bestParameters.pointer.update(from: model.parameters.values.pointer, count: model.parameters.count)
        } else {
            state.evalsSinceBest += 1
        }
        onEvent(.validation(bits: v, best: state.bestValidBits ?? v, improved: improved))
        if options.patience > 0, state.evalsSinceBest >= options.patience {
            model.parameters.values.pointer.update(from: bestParameters.pointer, count: model.parameters.count)
            state.stopReason = "early stopping: no validation improvement in \(options.patience) evaluations"
        }
    }
}
