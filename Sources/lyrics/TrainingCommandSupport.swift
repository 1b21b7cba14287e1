import ArgumentParser
import Foundation
import LyricsCore
import NeuralNet

/// The plan defaults that differ between the char and word commands (the flags themselves are
/// the same, so `TrainingPlanOptions` and `FineTunePlanOptions` take a model's defaults as a
/// type parameter).
struct PlanDefaults {
    /// What a chunk counts, for help ("Characters", "Words"), and how many by default.
    let tokens: String, seqLength: Int
    /// Peak learning rate from random weights (train, fine-tune --from-scratch) and when
    /// fine-tuning trained weights, with the fine-tune help that shows both.
    let learningRate: Float, fineTuneLearningRate: Float, fineTuneLearningRateHelp: String
    /// Validation interval in steps, for train and for fine-tune.
    let evalEvery: Int, fineTuneEvalEvery: Int
}

protocol TrainingPlanDefaults {
    static var values: PlanDefaults { get }
}

enum CharPlanDefaults: TrainingPlanDefaults {
    static let values = PlanDefaults(tokens: "Characters", seqLength: 64, learningRate: 3e-3, fineTuneLearningRate: 1e-3,
                                     fineTuneLearningRateHelp: "Peak learning rate (default 1e-3 fine-tuning, 3e-3 from scratch).",
                                     evalEvery: 500, fineTuneEvalEvery: 50)
}

enum WordPlanDefaults: TrainingPlanDefaults {
    static let values = PlanDefaults(tokens: "Words", seqLength: 35, learningRate: 2e-3, fineTuneLearningRate: 5e-4,
                                     fineTuneLearningRateHelp: "Peak learning rate (default 5e-4 fine-tuning, 2e-3 from scratch).",
                                     evalEvery: 100, fineTuneEvalEvery: 25)
}

/// The truncated-BPTT flags of `lyrics char train` and `lyrics word train`.
struct TrainingPlanOptions<Defaults: TrainingPlanDefaults>: ParsableArguments {
    @Option(name: .customLong("seq-length"), help: "\(Defaults.values.tokens) per truncated-BPTT chunk.")
    var seqLength: Int = Defaults.values.seqLength
    @Option(name: .long, help: "Parallel streams per step.") var batch: Int = 32
    @Option(name: .long, help: "Peak learning rate (Adam).") var lr: Float = Defaults.values.learningRate
    @Option(name: .long, help: "Fraction of training used for warmup.") var warmup: Double = 0.02
    @Option(name: .long, help: "Gradient-norm clipping threshold (0 = off).") var clip: Float = 5
    @Option(name: .long, help: "Passes over the training text.") var epochs: Double?
    @Option(name: .long, help: "Training time budget in minutes (the schedule follows elapsed time).") var minutes: Double?
    @Option(name: .long, help: "Stop after this many steps in total (the schedule is unchanged).") var steps: Int?
    @Option(name: .customLong("eval-every"), help: "Validate every N steps.") var evalEvery: Int = Defaults.values.evalEvery
    @Option(name: .long, help: "Stop after N validations without improvement (0 = never).") var patience: Int = 5
    @Option(name: .long, help: "Random seed for initialisation and dropout.") var seed: UInt64 = 1
    @Option(name: .customLong("save-every"), help: "Minutes between periodic checkpoints.") var saveEvery: Double = 5
    @Flag(name: .long, help: "No progress output.") var quiet = false

    func validate() throws {
        try validatePlan(epochs: epochs, minutes: minutes, steps: steps, seqLength: seqLength, batch: batch, lr: lr,
                         warmup: warmup, evalEvery: evalEvery)
        guard saveEvery > 0 else { throw ValidationError("--save-every must be positive") }
    }

    /// The plan for a new run.
    var options: SequenceTrainingOptions {
        SequenceTrainingOptions(seqLength: seqLength, batch: batch, lr: lr, warmup: warmup, clip: clip, epochs: epochs,
                                minutes: minutes, evalEvery: evalEvery, patience: patience, seed: seed)
    }

    /// Whether --epochs or --minutes was given: on --resume they replace the stored budget.
    var hasNewBudget: Bool { epochs != nil || minutes != nil }

    /// Puts a budget given on --resume into the stored plan (the rest of the plan stays).
    func applyNewBudget(_ o: inout SequenceTrainingOptions) {
        if let epochs { o.epochs = epochs }
        if let minutes { o.minutes = minutes }
    }
}

/// The plan flags of `lyrics char fine-tune` and `lyrics word fine-tune`: smaller batches, more
/// frequent validation, and a peak learning rate that depends on --from-scratch.
struct FineTunePlanOptions<Defaults: TrainingPlanDefaults>: ParsableArguments {
    @Option(name: .customLong("seq-length"), help: "\(Defaults.values.tokens) per truncated-BPTT chunk.")
    var seqLength: Int = Defaults.values.seqLength
    @Option(name: .long, help: "Parallel streams per step.") var batch: Int = 16
    @Option(name: .long, help: ArgumentHelp(Defaults.values.fineTuneLearningRateHelp)) var lr: Float?
    @Option(name: .long, help: "Fraction of training used for warmup.") var warmup: Double = 0.02
    @Option(name: .long, help: "Gradient-norm clipping threshold (0 = off).") var clip: Float = 5
    @Option(name: .long, help: "Passes over the training text.") var epochs: Double?
    @Option(name: .long, help: "Training time budget in minutes.") var minutes: Double?
    @Option(name: .customLong("eval-every"), help: "Validate every N steps.")
    var evalEvery: Int = Defaults.values.fineTuneEvalEvery
    @Option(name: .long, help: "Stop after N validations without improvement (0 = never).") var patience: Int = 5
    @Option(name: .long, help: "Random seed.") var seed: UInt64 = 1
    @Flag(name: .long, help: "No progress output.") var quiet = false

    func validate() throws {
        try validatePlan(epochs: epochs, minutes: minutes, steps: nil, seqLength: seqLength, batch: batch, lr: lr,
                         warmup: warmup, evalEvery: evalEvery)
    }

    /// The plan for fine-tuning (or, `fromScratch`, for the baseline trained from random weights).
    func options(fromScratch: Bool) -> SequenceTrainingOptions {
        let rate = lr ?? (fromScratch ? Defaults.values.learningRate : Defaults.values.fineTuneLearningRate)
        return SequenceTrainingOptions(seqLength: seqLength, batch: batch, lr: rate, warmup: warmup, clip: clip, epochs: epochs,
                                       minutes: minutes, evalEvery: evalEvery, patience: patience, seed: seed)
    }
}

/// The checks both plan groups make (ArgumentParser runs a group's `validate()` as it parses it).
private func validatePlan(epochs: Double?, minutes: Double?, steps: Int?, seqLength: Int, batch: Int, lr: Float?,
                          warmup: Double, evalEvery: Int) throws {
    if let e = epochs, !(e > 0) { throw ValidationError("--epochs must be positive") }
    if let m = minutes, !(m > 0) { throw ValidationError("--minutes must be positive") }
    if let s = steps, s < 1 { throw ValidationError("--steps must be at least 1") }
    guard seqLength >= 1, batch >= 1 else { throw ValidationError("--seq-length and --batch must be at least 1") }
    if let lr, !(lr > 0) { throw ValidationError("--lr must be positive") }
    guard warmup >= 0, warmup < 1 else { throw ValidationError("--warmup must be in [0, 1)") }
    guard evalEvery >= 1 else { throw ValidationError("--eval-every must be at least 1") }
}

extension SequenceTrainingOptions {
    /// A plan from command-line flags; one epoch when neither --epochs nor --minutes is given.
    init(seqLength: Int, batch: Int, lr: Float, warmup: Double, clip: Float, epochs: Double?, minutes: Double?,
         evalEvery: Int, patience: Int, seed: UInt64) {
        self.init()
        sequenceLength = seqLength; self.batch = batch; learningRate = lr; self.warmup = warmup
        clipNorm = clip; self.epochs = epochs ?? (minutes == nil ? 1 : nil); self.minutes = minutes
        self.evalEvery = evalEvery; self.patience = patience; self.seed = seed
    }
}

/// Ctrl-C during a training command: the handler only sets a flag, which the training loop
/// checks between steps, so the command can save a checkpoint at a step boundary and exit.
enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Installs the SIGINT handler (touching the flag first, so the handler never initialises it).
    static func install() {
        flag = 0
        signal(SIGINT) { _ in Interrupt.flag = 1 }
    }

    static var requested: Bool { flag != 0 }
}

extension SequenceTrainer {
    /// Progress is shown in seconds of the time budget when no epochs are planned, else in steps.
    private var isTimeBudgeted: Bool { plannedSteps == nil }

    /// A progress reporter over the run's whole plan.
    func progressReporter(label: String, enabled: Bool) -> ProgressReporter {
        ProgressReporter(label: label, total: isTimeBudgeted ? (options.minutes ?? 1) * 60 : Double(plannedSteps!),
                         unit: isTimeBudgeted ? "s" : "step", enabled: enabled)
    }

    /// How much of the plan is done, in the reporter's unit.
    var progressDone: Double { isTimeBudgeted ? state.elapsedSeconds : Double(state.step) }
}

/// The smoothed training loss and the throughput the train commands show as they go.
struct TrainingMeter {
    /// Exponential moving average of the step losses (nil before the first step).
    private(set) var smoothedLoss: Double?
    private let tokensPerStep: Double
    private let startStep: Int
    private let started = Date()

    init<Model>(_ trainer: SequenceTrainer<Model>) {
        tokensPerStep = Double(trainer.options.batch * trainer.options.sequenceLength)
        startStep = trainer.state.step
    }

    mutating func add(loss: Double) {
        smoothedLoss = smoothedLoss.map { 0.98 * $0 + 0.02 * loss } ?? loss
    }

    /// Ids (characters or words) trained per second since the meter was made.
    func speed(atStep step: Int) -> Double {
        Double(step - startStep) * tokensPerStep / max(Date().timeIntervalSince(started), 1e-9)
    }
}
