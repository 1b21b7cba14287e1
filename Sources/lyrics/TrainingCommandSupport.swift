import ArgumentParser
import Foundation
import LyricsCore
import NeuralNet

/// The plan flags every training command shares (`char train`, `word train`, and both
/// `fine-tune`s). Every flag is optional so a command knows what was given: a new run fills the
/// rest from its model's defaults (`SequenceTrainingOptions.charDefaults`/`.wordDefaults`, the
/// one place they live); a resumed run keeps its stored plan and accepts only budget flags.
/// Numbers parse their next argument unconditionally, so `--lr -1` is refused as out of range.
struct PlanOptions: ParsableArguments {
    @Option(name: .customLong("seq-length"), parsing: .unconditional, help: "Tokens per truncated-BPTT chunk (default 64 chars / 35 words).")
    var seqLength: Int?
    @Option(name: .long, parsing: .unconditional, help: "Parallel streams per step (default 32; 16 when fine-tuning).") var batch: Int?
    @Option(name: .long, parsing: .unconditional, help: "Peak learning rate, Adam (default 3e-3 char, 2e-3 word; fine-tuning 1e-3 / 5e-4).") var lr: Float?
    @Option(name: .long, parsing: .unconditional, help: "Fraction of training used for warmup (default 0.02).") var warmup: Double?
    @Option(name: .long, parsing: .unconditional, help: "Gradient-norm clipping threshold, 0 = off (default 5).") var clip: Float?
    @Option(name: .customLong("eval-every"), parsing: .unconditional, help: "Validate every N steps (default 500 char, 100 word; 50 / 25 fine-tuning).")
    var evalEvery: Int?
    @Option(name: .long, parsing: .unconditional, help: "Stop after N validations without improvement, 0 = never (default 5).") var patience: Int?
    @Option(name: .long, parsing: .unconditional, help: "Random seed for initialisation and dropout (default 1).") var seed: UInt64?

    @Option(name: .long, parsing: .unconditional, help: "Budget: passes over the training text (default 1 when no --minutes).") var epochs: Double?
    @Option(name: .long, parsing: .unconditional, help: "Budget: training minutes; the schedule follows elapsed time.") var minutes: Double?
    @Option(name: .long, parsing: .unconditional, help: "Stop after this many steps in total, resumably (the schedule is unchanged).") var steps: Int?

    @Option(name: .long, help: "Matrix products while training: auto (bf16 where the CPU has AVX512-BF16, else fp32), fp32, bf16.")
    var precision: PrecisionChoice?

    @Option(name: .customLong("save-every"), help: "Minutes between periodic checkpoints.") var saveEvery: Double = 5
    @Flag(name: .long, help: "No progress output.") var quiet = false

    func validate() throws {
        if let e = epochs, !(e > 0) { throw ValidationError("--epochs: must be positive") }
        if let m = minutes, !(m > 0) { throw ValidationError("--minutes: must be positive") }
        if let s = steps, s < 1 { throw ValidationError("--steps: must be at least 1") }
        if let s = seqLength, s < 1 { throw ValidationError("--seq-length: must be at least 1") }
        if let b = batch, b < 1 { throw ValidationError("--batch: must be at least 1") }
        if let lr, !(lr > 0) { throw ValidationError("--lr: must be positive") }
        if let w = warmup, !(w >= 0 && w < 1) { throw ValidationError("--warmup: must be in [0, 1)") }
        if let c = clip, !(c >= 0) { throw ValidationError("--clip: must be 0 or positive") }
        if let e = evalEvery, e < 1 { throw ValidationError("--eval-every: must be at least 1") }
        if let p = patience, p < 0 { throw ValidationError("--patience: must be 0 or more") }
        guard saveEvery > 0 else { throw ValidationError("--save-every: must be positive") }
        if precision == .bf16, !Precision.bf16Available {
            throw ValidationError("--precision: bf16 needs a CPU with AVX512-BF16 (use fp32 or auto)")
        }
    }

    /// The plan for a new run: the given flags over `defaults`; one epoch when no budget is given.
    func options(over defaults: SequenceTrainingOptions) -> SequenceTrainingOptions {
        var o = defaults
        if let seqLength { o.sequenceLength = seqLength }
        if let batch { o.batch = batch }
        if let lr { o.learningRate = lr }
        if let warmup { o.warmup = warmup }
        if let clip { o.clipNorm = clip }
        if let evalEvery { o.evalEvery = evalEvery }
        if let patience { o.patience = patience }
        if let seed { o.seed = seed }
        o.epochs = epochs ?? (minutes == nil ? 1 : nil)
        o.minutes = minutes
        o.maxSteps = steps
        o.precision = (precision ?? .auto).precision
        return o
    }

    /// The plan flags that were given (a resumed run refuses them).
    var givenPlanFlags: [String] {
        [("--seq-length", seqLength != nil), ("--batch", batch != nil), ("--lr", lr != nil), ("--warmup", warmup != nil),
         ("--clip", clip != nil), ("--eval-every", evalEvery != nil), ("--patience", patience != nil), ("--seed", seed != nil)]
            .filter(\.1).map(\.0)
    }

    /// On `--resume`: a budget given now replaces the stored one (said on stderr); anything else
    /// that would change the plan was refused before.
    func extendBudget(_ o: inout SequenceTrainingOptions) -> [String] {
        var said = [String]()
        func show(_ v: Double?) -> String { v.map { String(format: "%g", $0) } ?? "none" }
        if let epochs { said.append("--epochs \(show(o.epochs)) -> \(show(epochs))"); o.epochs = epochs }
        if let minutes { said.append("--minutes \(show(o.minutes)) -> \(show(minutes))"); o.minutes = minutes }
        if let steps { said.append("--steps \(o.maxSteps.map(String.init) ?? "none") -> \(steps)"); o.maxSteps = steps }
        if let precision {
            said.append("--precision \((o.precision ?? .fp32).rawValue) -> \(precision.precision.rawValue)")
            o.precision = precision.precision
        }
        return said
    }
}

/// `--precision`: what the products of a training step run in (`auto` picks per CPU).
enum PrecisionChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, fp32, bf16
    var precision: Precision {
        switch self {
        case .auto: return Precision.fastest
        case .fp32: return .fp32
        case .bf16: return .bf16
        }
    }
}

/// Refuses options that would change a resumed run's plan: `--resume FILE` alone continues it
/// exactly (corpus, split, threads, model and plan come from the checkpoint); budget flags
/// (`--epochs`, `--minutes`, `--steps`) may extend it.
func refusePlanChanges(resume: String, given: [String]) throws {
    guard !given.isEmpty else { return }
    throw LyricsError(file: resume, "a resumed run keeps the plan stored in its checkpoint; \(given.joined(separator: ", ")) cannot be given with --resume (only --epochs, --minutes, --steps extend it)")
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

/// The one way every training command runs its trainer: progress (loss, learning rate,
/// gradient norm, speed, ETA) on stderr, a checkpoint every `saveEvery` minutes, Ctrl-C saves and
/// exits 130, `--steps` saves the exact state for `--resume`, a run that ends keeps its best
/// validated weights (`SequenceTrainer.finish`) and is saved, a diverged run stops with one error
/// line and leaves the last good checkpoint, and the summary goes to stdout.
struct TrainingRun<Model: TrainableSequenceModel> {
    let trainer: SequenceTrainer<Model>
    let path: String
    /// Names the run in progress lines ("char train", "word fine-tune").
    let label: String
    /// The training loss's unit ("bpc", "bits/word", "1-cos") and what a token is ("char", "words").
    let lossUnit: String
    let tokenUnit: String
    let plan: PlanOptions
    let save: (String) throws -> Void

    /// Runs to the end of the plan (or an interruption) and returns the final validation bits
    /// per character when the run ended, nil when it stopped resumably.
    @discardableResult
    func run() throws -> Double? {
        Interrupt.install()
        // The end of setup: under mpirun every rank must be about to train the same thing.
        try Distributed.agree(fingerprint: trainer.setupFingerprint)
        let timeBudgeted = trainer.plannedSteps == nil
        let progress = ProgressReporter(label: label, total: timeBudgeted ? (trainer.options.minutes ?? 1) * 60 : Double(trainer.plannedSteps!),
                                        unit: timeBudgeted ? "s" : "step", enabled: !plan.quiet)
        let started = Date(), startStep = trainer.state.step
        let tokensPerStep = Double(trainer.options.batch * trainer.options.sequenceLength)  // all ranks' streams
        var smoothed: Double?
        var savedStep: Int?
        do {
            try trainer.run(saveEvery: plan.saveEvery * 60, shouldStop: { Interrupt.requested },
                            save: { try save(path); savedStep = trainer.state.step }) { event in
                switch event {
                case .step(let loss, let rate, let norm):
                    smoothed = smoothed.map { 0.98 * $0 + 0.02 * loss } ?? loss
                    let speed = Double(trainer.state.step - startStep) * tokensPerStep / max(Date().timeIntervalSince(started), 1e-9)
                    progress.update(done: timeBudgeted ? trainer.state.elapsedSeconds : Double(trainer.state.step),
                                    extra: String(format: "step %d epoch %d loss %.3f %@ lr %.2e |g| %.2f %@ %@/s", trainer.state.step,
                                                  trainer.state.epoch, smoothed!, lossUnit, rate, norm,
                                                  ProgressReporter.humanCount(speed), tokenUnit))
                case .validation(let bits, let best, let improved):
                    say(String(format: "step %d epoch %d: train %.4f %@, valid bpc %.4f (best %.4f)%@", trainer.state.step,
                               trainer.state.epoch, smoothed ?? .nan, lossUnit, bits, best, improved ? " *" : ""))
                }
            }
        } catch let e as TrainingDiverged {
            let kept = savedStep.map { "the last good checkpoint (step \($0)) is kept" } ?? "nothing was saved in this run"
            throw LyricsError(file: path, "\(e.description); \(kept)")
        }
        if trainer.stopRequested {
            try save(path)
            say("interrupted: saved \(path) at step \(trainer.state.step); continue with --resume \(path)")
            throw ExitCode(130)
        }
        if !trainer.isFinished, trainer.reachedMaxSteps {
            try save(path)
            progress.finish("stopped at step \(trainer.state.step) (--steps)")
            print(String(format: "steps %d train %.4f %@ checkpoint %@ (continue with --resume)", trainer.state.step,
                         smoothed ?? .nan, lossUnit, path))
            return nil
        }
        let valid = trainer.finish()
        try save(path)
        progress.finish(trainer.state.stopReason ?? "finished")
        print(String(format: "steps %d epochs %.2f train %.4f %@ valid bpc %.4f (best weights) checkpoint %@", trainer.state.step,
                     Double(trainer.state.step) / Double(trainer.stepsPerEpoch), smoothed ?? .nan, lossUnit, valid, path))
        return valid
    }

    func say(_ s: String) { if !plan.quiet { note(s) } }
}
