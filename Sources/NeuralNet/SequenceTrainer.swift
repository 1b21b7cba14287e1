import Foundation
import LyricsCore

/// Truncated BPTT over `batch` parallel streams, for any `TrainableSequenceModel`: the training
/// ids are cut into `batch` contiguous streams, each step trains on the next `sequenceLength` ids
/// of every stream and the recurrent state carries over to the next chunk (reset at each epoch).
/// Adam with global norm clipping; warmup + cosine learning rate over the planned steps or the
/// time budget; validation every `evalEvery` steps with early stopping that restores the best
/// weights. `CharTrainer` and `WordTrainer` are this class over their models, and fine-tuning is
/// the same loop started from trained weights, so every run follows one set of rules:
/// - a run that ends (plan done or early stop) is `finish()`ed: it keeps the weights of its best
///   validation, and the model refits what gradients do not train;
/// - every validation adds a point to `state.history` (the curve every report plots);
/// - a step whose loss or gradient norm is not finite changes nothing and stops the run with
///   `TrainingDiverged`, so the last checkpoint written stays the last good one.
///
/// Data parallel over a `Communicator` (Horovod's scheme): `options.batch` is the number of
/// streams of the whole job; each of N ranks trains `batch / N` of them (rank r the streams
/// r·B ..< (r+1)·B of the one-process layout), the gradients are summed over ranks every step
/// before clipping and Adam, and every rank applies the same update. So N ranks are the same
/// optimisation as one process with all the streams, up to float summation order. Decisions
/// that depend on the clock (time budget, periodic saves) or on signals are taken collectively,
/// so every rank steps, validates and saves at the same points.
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
    /// What the run reads, stored in checkpoints for `--resume` (set by the command that made it).
    public var inputs: TrainingInputs?
    /// The weights of the best validation so far (restored when stopping early).
    public let bestParameters: FloatBuffer
    public let streamLength: Int
    public let stepsPerEpoch: Int
    public let schedule: LearningRateSchedule
    private var stepInputs: [Int32]
    private var stepTargets: [Int32]
    /// The global gradient norm of the last step (before clipping).
    public private(set) var lastGradientNorm = 0.0
    /// The ranks this run trains on (one process unless started by `mpirun`).
    public let communicator: Communicator
    /// Whether `run` returned because `shouldStop` asked on some rank (Ctrl-C).
    public private(set) var stopRequested = false

    /// `makeModel(batch, maxSteps)` builds the training model and the validation model; both get
    /// the same initial weights from the seed the caller passes it.
    public init(options: SequenceTrainingOptions, train: [Int32], valid: Model.HeldOut,
                communicator: Communicator = Distributed.joined,
                makeModel: (_ batch: Int, _ maxSteps: Int) -> Model) throws {
        let G = options.batch, T = options.sequenceLength, N = communicator.size
        guard G >= 1, T >= 1 else { throw LyricsError("batch and sequence length must be positive") }
        guard G % N == 0 else {
            throw LyricsError("--batch: \(G) streams do not split evenly over \(N) ranks; use a multiple of \(N)")
        }
        let B = G / N
        streamLength = train.count / G
        guard streamLength > T else {
            throw LyricsError("training text too short: \(train.count) \(Model.tokenNoun) for \(G) streams of more than \(T)")
        }
        self.options = options
        self.communicator = communicator
        trainIDs = train
        self.valid = valid
        stepsPerEpoch = (streamLength - 1) / T
        model = makeModel(B, T)
        model.stack.precision = options.precision ?? .fp32
        if communicator.rank > 0 {
            // Each rank draws its own dropout masks.
            model.random.rng = SeededRandom(seed: options.seed &+ UInt64(communicator.rank) &* 0x9E37_79B9_7F4A_7C15)
        }
        evalModel = makeModel(max(1, options.evalBatch), T)
        adam = Adam(parameters: model.parameters)
        bestParameters = FloatBuffer(count: model.parameters.count)
        schedule = LearningRateSchedule(peak: options.learningRate, warmup: options.warmup,
                                        finalFraction: options.finalLearningRateFraction)
        stepInputs = [Int32](repeating: 0, count: B * T)
        stepTargets = [Int32](repeating: 0, count: B * T)
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
    /// the model's unit (bits per character; bits per word for vMF, 1 − cos for cosine). When the
    /// loss or the gradient norm is not finite nothing is updated and the step is not counted.
    @discardableResult
    public func trainStep() -> Double {
        let B = model.batch, T = options.sequenceLength, L = streamLength, first = communicator.rank * B
        if state.position + T >= L {
            state.position = 0
            state.epoch += 1
            model.resetState()
        }
        let pos = state.position
        trainIDs.withUnsafeBufferPointer { ids in
            for t in 0..<T {
                for b in 0..<B {
                    let i = (first + b) * L + pos + t
                    stepInputs[t * B + b] = ids[i]
                    stepTargets[t * B + b] = ids[i + 1]
                }
            }
        }
        model.parameters.zeroGradients()
        let lr = learningRate
        let r = stepInputs.withUnsafeBufferPointer { ip in
            stepTargets.withUnsafeBufferPointer { tp in model.trainStep(inputs: ip.baseAddress!, targets: tp.baseAddress!, steps: T) }
        }
        let (nats, count) = communicator.isDistributed ? sumOverRanks(r) : r
        let loss = model.reportedLoss(nats: nats, count: count)
        lastGradientNorm = model.parameters.clipGradients(maxNorm: options.clipNorm)
        guard loss.isFinite, lastGradientNorm.isFinite else { return loss }
        adam.step(learningRate: lr)
        state.position += T
        state.step += 1
        state.recordStep(loss: loss)
        return loss
    }

    /// Turns this rank's mean gradient over its `count` scored tokens into the mean over every
    /// rank's tokens (Σ_r count_r · g_r / Σ_r count_r), the gradient one process with all the
    /// streams computes; returns the summed loss and count of the whole job.
    private func sumOverRanks(_ r: (nats: Double, count: Int)) -> (nats: Double, count: Int) {
        let g = model.parameters.gradients
        var totals = [r.nats, Double(r.count)]
        communicator.allreduceSum(&totals)
        let total = max(totals[1], 1)
        BLAS.scale(g.count, Float(Double(r.count) / total), g.pointer)
        communicator.allreduceSum(g.pointer, count: g.count)
        return (totals[0], Int(totals[1]))
    }

    /// Validation bits per character with the current weights (training state is untouched;
    /// the model may refit what it does not train by gradient). Every rank scores the whole
    /// validation text (so what validation refits stays the same everywhere) and takes rank 0's
    /// figure, so early stopping decides the same on every rank. (Before the ranks have agreed
    /// to start, e.g. a fine-tune scoring its base, no rank may call a collective; the figure is
    /// then the same computation on the same weights and text on every rank.)
    public func validate() -> Double {
        var v = [model.validationBits(on: valid, scoredBy: evalModel)]
        if communicator.isDistributed, Distributed.agreed {
            v.withUnsafeMutableBytes { communicator.broadcast($0.baseAddress!, count: 8, root: 0) }
        }
        return v[0]
    }

    /// A 64-bit digest of what this rank is about to train (its options, text and model size),
    /// for `Distributed.agree`: ranks started with a different corpus or plan are refused.
    public var setupFingerprint: UInt64 {
        var h = FNV1a()
        h.add(SequenceCheckpoint.fingerprint(trainIDs))
        h.add((try? SequenceCheckpoint.json(options)) ?? "")
        h.add(model.parameters.count)
        h.add(state.step)
        return h.value
    }

    /// Makes every rank start from rank 0's weights (they are the same when every rank used the
    /// same seed, and this makes it certain); a no-op for one process.
    public func shareStartingWeights() {
        guard communicator.isDistributed else { return }
        for buffer in [model.parameters.values, bestParameters] {
            communicator.broadcast(UnsafeMutableRawPointer(buffer.pointer), count: buffer.count * 4, root: 0)
        }
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
        /// A training step's mean loss (in the model's unit), the learning rate now and the
        /// gradient norm before clipping.
        case step(loss: Double, learningRate: Float, gradientNorm: Double)
        case validation(bits: Double, best: Double, improved: Bool)
    }

    /// Whether the run stopped at `options.maxSteps` before its plan was done.
    public var reachedMaxSteps: Bool { options.maxSteps.map { state.step >= $0 } ?? false }

    /// Trains until the plan is done, early stopping triggers, `options.maxSteps` (or `maxSteps`)
    /// total steps are reached or `shouldStop` returns true (checked between steps, e.g. set by
    /// Ctrl-C). `save` is called every `saveEvery` seconds and never inside a step, so a
    /// checkpoint always holds a step boundary. Throws `TrainingDiverged` on a non-finite step.
    public func run(maxSteps: Int? = nil, saveEvery: Double = .infinity, shouldStop: () -> Bool = { false },
                    save: () throws -> Void = {}, onEvent: (Event) -> Void = { _ in }) throws {
        var lastSave = Date()
        let stepLimit = [maxSteps, options.maxSteps].compactMap { $0 }.min()
        shareStartingWeights()
        // Per step, the ranks agree on [stop asked, elapsed seconds, save due] (maxima), so the
        // schedule, the time budget and the checkpoints follow one clock.
        var shared = [0.0, 0.0, 0.0]
        stopRequested = false
        while !isFinished {
            shared[0] = shouldStop() ? 1 : 0
            if communicator.isDistributed { communicator.allreduceMax(&shared) }
            if shared[0] > 0 { stopRequested = true; return }
            if let stepLimit, state.step >= stepLimit { return }
            let t0 = Date()
            let loss = trainStep()
            shared[1] = state.elapsedSeconds + Date().timeIntervalSince(t0)
            shared[2] = Date().timeIntervalSince(lastSave) >= saveEvery ? 1 : 0
            if communicator.isDistributed { communicator.allreduceMax(&shared) }
            state.elapsedSeconds = shared[1]
            guard loss.isFinite, lastGradientNorm.isFinite else {
                throw TrainingDiverged(step: state.step + 1, loss: loss, gradientNorm: lastGradientNorm)
            }
            onEvent(.step(loss: loss, learningRate: learningRate, gradientNorm: lastGradientNorm))
            if options.evalEvery > 0, state.step % options.evalEvery == 0 || isFinished {
                let t1 = Date()
                evaluateAndMaybeStop(onEvent)
                state.elapsedSeconds += Date().timeIntervalSince(t1)
            }
            if shared[2] > 0 {
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
        state.recordValidation(bits: v)
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

    /// Scores the starting weights (fine-tuning: the base model on the new text) as the score to
    /// beat and the curve's first point, so early stopping never leaves the model worse than it
    /// started. Only before the first step.
    public func validateStartingWeights() {
        guard state.step == 0, state.history.isEmpty else { return }
        let v = validate()
        state.bestValidBits = v
        state.lastValidBits = v
        state.recordValidation(bits: v)
        state.record.recordValidation(bits: v, step: 0, seconds: 0, improved: true, scoredBy: evalModel)
        keepParametersAsBest()
    }

    /// Ends a run: the weights of the best validation go back in when a later one was worse,
    /// and the model refits what gradients do not train. Returns the final validation bits per
    /// character (also stored as `state.lastValidBits`).
    @discardableResult
    public func finish() -> Double {
        if let best = state.bestValidBits, let last = state.lastValidBits, last > best {
            restoreBestParameters()
        }
        let v = model.finishTraining(on: valid, scoredBy: evalModel, record: state.record)
        state.lastValidBits = v
        return v
    }
}

/// A training step produced a loss or gradient that is not a number; the run stops before the
/// step changes any weight.
public struct TrainingDiverged: Error, CustomStringConvertible {
    public let step: Int
    public let loss: Double
    public let gradientNorm: Double

    public var description: String {
        "training diverged at step \(step) (loss \(loss), gradient norm \(gradientNorm)); try a lower --lr or --clip"
    }
}
