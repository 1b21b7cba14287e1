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
        try precision?.validate()
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

    /// A progress note on stderr, unless `--quiet`: every training command's one way to talk.
    func say(_ s: String) { if !quiet { note(s) } }
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

    func validate() throws {
        if self == .bf16, !Precision.bf16Available {
            throw ValidationError("--precision: bf16 needs a CPU with AVX512-BF16 (use fp32 or auto)")
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

/// The one resume path of `char train --resume` and `word train --resume`: the run stored in
/// `path` continues with its own corpus, split and threads (recorded in its checkpoint as
/// `TrainingInputs`), and a budget flag given now extends its plan. `trainer` rebuilds the
/// model's trainer from the stored run's texts, passing `extend` on to the checkpoint's plan.
func resumedRun<Model>(_ path: String, file: SafeTensors.File, plan: PlanOptions,
                       trainer make: (_ inputs: TrainingInputs, _ texts: CharTexts,
                                      _ extend: (inout SequenceTrainingOptions) -> Void) throws -> SequenceTrainer<Model>)
    throws -> SequenceTrainer<Model> {
    guard let inputs = try SequenceCheckpoint.inputs(file) else {
        throw LyricsError(file: path, "records no corpus (written by an older version); it cannot be resumed")
    }
    BLAS.setThreads(inputs.threads)
    let texts = try CharCorpusOptions.trainingTexts(of: inputs)
    var notes = [String]()
    let trainer = try make(inputs, texts) { notes = plan.extendBudget(&$0) }
    // A finished run given a larger budget is no longer finished.
    if !notes.isEmpty, trainer.state.stopReason == "finished" { trainer.state.stopReason = nil }
    plan.say("resuming \(path) at step \(trainer.state.step) (epoch \(trainer.state.epoch)) on \(inputs.corpus), \(inputs.threads) thread(s)"
             + (notes.isEmpty ? "" : "; budget extended: " + notes.joined(separator: ", ")))
    return trainer
}
