import Foundation
import LyricsCore

/// Truncated BPTT over `batch` parallel streams, for any `TrainableSequenceModel`: the training
/// ids are cut into `batch` contiguous streams, each step trains on the next `sequenceLength` ids
/// of every stream and the recurrent state carries over to the next chunk (reset at each epoch).
/// Adam with global norm clipping; warmup + cosine learning rate over the planned steps or the
/// time budget; validation every `evalEvery` steps with early stopping that restores the best
/// weights. `CharTrainer` and `WordTrainer` are this class over their models.
public final class SequenceTrainer<Model: TrainableSequenceModel> {
    public typealias State = SequenceTrainingState<Model.Record>

    public let options: SequenceTrainingOptions
    public let model: Model
    /// Scores validation text; built for `options.evalBatch` streams.
    public let evalModel: Model
    public let adam: Adam
    public let trainIDs: [Int32]
    public let valid: Model.HeldOut
    public var state = State()
    /// The weights of the best validation so far (restored when stopping early).
    public let bestParameters: FloatBuffer
    public let streamLength: Int
    public let stepsPerEpoch: Int
    public let schedule: LearningRateSchedule
    private var inputs: [Int32]
    private var targets: [Int32]

    /// `makeModel(batch, maxSteps)` builds the training model and the validation model; both get
    /// the same initial weights from the seed the caller passes it.
    public init(options: SequenceTrainingOptions, train: [Int32], valid: Model.HeldOut,
                makeModel: (_ batch: Int, _ maxSteps: Int) -> Model) throws {
        let B = options.batch, T = options.sequenceLength
        guard B >= 1, T >= 1 else { throw LyricsError("batch and sequence length must be positive") }
        streamLength = train.count / B
        guard streamLength > T else {
            throw LyricsError("training text too short: \(train.count) \(Model.tokenNoun) for \(B) streams of more than \(T)")
        }
        self.options = options
        trainIDs = train
        self.valid = valid
        stepsPerEpoch = (streamLength - 1) / T
        model = makeModel(B, T)
        evalModel = makeModel(max(1, options.evalBatch), T)
        adam = Adam(parameters: model.parameters)
        bestParameters = FloatBuffer(count: model.parameters.count)
        schedule = LearningRateSchedule(peak: options.learningRate, warmup: options.warmup,
                                        finalFraction: options.finalLearningRateFraction)
        inputs = [Int32](repeating: 0, count: B * T)
        targets = [Int32](repeating: 0, count: B * T)
        keepParametersAsBest()
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

    /// One chunk of every stream: forward, backward, clip, Adam. Returns the chunk's mean loss in
    /// the model's unit (bits per character; bits per word for vMF, 1 − cos for cosine).
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
        let loss = model.reportedLoss(nats: r.nats, count: r.count)
        state.record.recordStep(loss: loss)
        return loss
    }

    /// Validation bits per character with the current weights (training state is untouched;
    /// the model may refit what it does not train by gradient).
    public func validate() -> Double {
        model.validationBits(on: valid, scoredBy: evalModel)
    }

    /// Copies the current weights into `bestParameters` (the starting point when fine-tuning).
    public func keepParametersAsBest() {
        bestParameters.pointer.update(from: model.parameters.values.pointer, count: model.parameters.count)
    }

    /// Puts the weights of `bestParameters` back into the model.
    public func restoreBestParameters() {
        model.parameters.values.pointer.update(from: bestParameters.pointer, count: model.parameters.count)
    }

    public enum Event {
        /// A training step's mean loss (in the model's unit) and the learning rate now.
        case step(loss: Double, learningRate: Float)
        case validation(bits: Double, best: Double, improved: Bool)
    }

    /// Trains until the plan is done, early stopping triggers, `maxSteps` total steps are reached
    /// or `shouldStop` returns true (checked between steps, e.g. set by Ctrl-C). `save` is called
    /// every `saveEvery` seconds and never inside a step, so a checkpoint always holds a step boundary.
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
        let v = validate()
        state.lastValidBits = v
        let improved = state.bestValidBits.map { v < $0 } ?? true
        state.record.recordValidation(bits: v, step: state.step, seconds: state.elapsedSeconds, improved: improved,
                                      scoredBy: evalModel)
        if improved {
            state.bestValidBits = v
            state.evalsSinceBest = 0
            keepParametersAsBest()
        } else {
            state.evalsSinceBest += 1
        }
        onEvent(.validation(bits: v, best: state.bestValidBits ?? v, improved: improved))
        if options.patience > 0, state.evalsSinceBest >= options.patience {
            restoreBestParameters()
            state.stopReason = "early stopping: no validation improvement in \(options.patience) evaluations"
        }
    }
}
