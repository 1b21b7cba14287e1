import Foundation
import LyricsCore
import Recurrent

/// How to train a word model. Stored in checkpoints so a resumed run continues the same plan.
public struct WordTrainingOptions: Codable, Equatable, Sendable {
    public var sequenceLength = 35
    public var batch = 32
    public var learningRate: Float = 2e-3
    public var warmup = 0.02
    public var finalLearningRateFraction: Float = 0.1
    public var clipNorm: Float = 5
    public var epochs: Double?
    public var minutes: Double?
    public var evalEvery = 200
    public var patience = 5
    public var evalBatch = 16
    public var seed: UInt64 = 1
    public init() {}
}

/// One point of the loss curve: mean training loss since the previous point (bits per word for
/// vMF, mean 1 − cos for cosine) and validation bits per character.
public struct LossPoint: Codable, Equatable, Sendable {
    public var step: Int
    public var seconds: Double
    public var trainLoss: Double
    public var validBitsPerCharacter: Double
}

/// Everything about a run's progress that is not a tensor, stored in checkpoints.
public struct WordTrainingState: Codable, Equatable, Sendable {
    public var step = 0
    public var epoch = 0
    public var position = 0
    public var elapsedSeconds = 0.0
    public var bestValidBits: Double?
    public var lastValidBits: Double?
    public var bestKappa: Float?
    public var evalsSinceBest = 0
    public var stopReason: String?
    public var history: [LossPoint] = []
    /// Training loss summed since the last validation (for the next history point).
    public var pendingLoss = 0.0
    public var pendingCount = 0
    public init() {}
}

/// Truncated BPTT over `batch` parallel streams, the same plan as the char model's trainer:
/// the training ids are cut into `batch` contiguous streams, each step trains on the next
/// `sequenceLength` words of every stream with the recurrent state carried over (reset each
/// epoch); Adam with global-norm clipping; warmup + cosine learning rate over planned steps or
/// the time budget; validation (bits per character of the validation text) every `evalEvery`
/// steps with early stopping that restores the best weights. Cosine models refine their kappa
/// with one Newton step per validation and are fitted fully at the end.
public final class WordTrainer {
    public let options: WordTrainingOptions
    public let model: WordModel
    public let evalModel: WordModel
    public let adam: Adam
    public let trainIDs: [Int32]
    public let valid: HeldOutText
    public var state = WordTrainingState()
    public let bestParameters: FloatBuffer
    public let streamLength: Int
    public let stepsPerEpoch: Int
    public let schedule: LearningRateSchedule
    private var inputs: [Int32]
    private var targets: [Int32]

    public init(config: WordModelConfig, table: VectorTable, options: WordTrainingOptions,
                train: [Int32], valid: HeldOutText) throws {
        let B = options.batch, T = options.sequenceLength
        guard B >= 1, T >= 1 else { throw LyricsError("batch and sequence length must be positive") }
        streamLength = train.count / B
        guard streamLength > T else {
            throw LyricsError("training text too short: \(train.count) words for \(B) streams of more than \(T)")
        }
        guard !valid.ids.isEmpty else { throw LyricsError("validation text is empty") }
        self.options = options
        trainIDs = train
        self.valid = valid
        stepsPerEpoch = (streamLength - 1) / T
        model = WordModel(config: config, table: table, batch: B, maxSteps: T, seed: options.seed)
        evalModel = WordModel(config: config, table: table, batch: max(1, options.evalBatch), maxSteps: T, seed: options.seed)
        adam = Adam(parameters: model.parameters)
        bestParameters = FloatBuffer(count: model.parameters.count)
        bestParameters.pointer.update(from: model.parameters.values.pointer, count: model.parameters.count)
        schedule = LearningRateSchedule(peak: options.learningRate, warmup: options.warmup,
                                        finalFraction: options.finalLearningRateFraction)
        inputs = [Int32](repeating: 0, count: B * T)
        targets = [Int32](repeating: 0, count: B * T)
    }

    public var plannedSteps: Int? {
        options.epochs.map { max(1, Int(($0 * Double(stepsPerEpoch)).rounded(.up))) }
    }

    public var progress: Double {
        var p = 0.0
        if let planned = plannedSteps { p = max(p, Double(state.step) / Double(planned)) }
        if let m = options.minutes, m > 0 { p = max(p, state.elapsedSeconds / (m * 60)) }
        return min(p, 1)
    }

    public var isFinished: Bool { state.stopReason != nil || progress >= 1 }
    public var learningRate: Float { schedule.rate(progress: progress) }

    /// One chunk of every stream: forward, backward, clip, Adam. Returns the chunk's mean loss
    /// (bits per word for vMF, 1 − cos for cosine).
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
        let st = inputs.withUnsafeBufferPointer { ip in
            targets.withUnsafeBufferPointer { tp in model.trainStep(inputs: ip.baseAddress!, targets: tp.baseAddress!, steps: T) }
        }
        model.parameters.clipGradients(maxNorm: options.clipNorm)
        adam.step(learningRate: lr)
        state.position += T
        state.step += 1
        let scale = model.config.loss == .vmf ? 1 / Foundation.log(2.0) : 1
        let loss = st.nats * scale / Double(max(st.count, 1))
        state.pendingLoss += loss
        state.pendingCount += 1
        return loss
    }

    /// Validation bits per character with the current weights; for cosine models also takes one
    /// Newton step on kappa (warm-started from the last one). Training state is untouched.
    public func validate() -> Double {
        evalModel.copyParameters(from: model)
        let st = evalModel.score(valid.ids)
        if model.config.loss == .cosine, st.d2Kappa > 0 {
            // One damped Newton step (at most doubling or halving); `finish` does the exact fit.
            let k = Double(model.kappa)
            let next = k - st.dKappa / st.d2Kappa
            model.kappa = Float(next.isFinite ? min(max(next, k / 2), k * 2) : k)
        }
        return valid.bitsPerCharacter(nats: st.nats)
    }

    public enum Event {
        case step(loss: Double, learningRate: Float)
        case validation(bits: Double, best: Double, improved: Bool)
    }

    /// Trains until the plan is done, early stopping triggers, `maxSteps` total steps are reached
    /// or `shouldStop` returns true. `save` runs every `saveEvery` seconds at a step boundary.
    public func run(maxSteps: Int? = nil, saveEvery: Double = .infinity, shouldStop: () -> Bool = { false },
                    save: () throws -> Void = {}, onEvent: (Event) -> Void = { _ in }) throws {
        var lastSave = Date()
        while !isFinished {
            if shouldStop() { return }
            if let maxSteps, state.step >= maxSteps { return }
            let t0 = Date()
            let loss = trainStep()
            state.elapsedSeconds += Date().timeIntervalSince(t0)
            onEvent(.step(loss: loss, learningRate: learningRate))
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
        let kappaUsed = model.kappa
        let v = validate()
        state.lastValidBits = v
        state.history.append(LossPoint(step: state.step, seconds: state.elapsedSeconds,
                                       trainLoss: state.pendingLoss / Double(max(state.pendingCount, 1)),
                                       validBitsPerCharacter: v))
        state.pendingLoss = 0
        state.pendingCount = 0
        let improved = state.bestValidBits.map { v < $0 } ?? true
        if improved {
            state.bestValidBits = v
            state.bestKappa = kappaUsed
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

    /// Makes the final model: the best validated weights when validation ever got worse than the
    /// best, and for cosine models a full maximum-likelihood fit of kappa on the validation text.
    /// Returns the final validation bits per character.
    @discardableResult
    public func finish() -> Double {
        if let best = state.bestValidBits, let last = state.lastValidBits, last > best {
            model.parameters.values.pointer.update(from: bestParameters.pointer, count: model.parameters.count)
        }
        evalModel.copyParameters(from: model)
        if model.config.loss == .cosine {
            model.kappa = evalModel.fitKappa(valid.ids, start: state.bestKappa ?? model.kappa)
        }
        return valid.bitsPerCharacter(nats: evalModel.score(valid.ids).nats)
    }
}
