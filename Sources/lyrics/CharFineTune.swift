import ArgumentParser
import Blending
import Foundation
import LyricsCore
import Recurrent

/// Set by the SIGINT handler; the loop stops at the next step boundary and saves.
nonisolated(unsafe) private var fineTuneInterruptRequested: sig_atomic_t = 0

struct CharFineTune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fine-tune",
        abstract: "Continue a trained char model on another (small) corpus: same vocabulary, fresh optimizer.",
        discussion: """
        Trains on the corpus's train split and validates on its valid split (the shared 50-line-block split). \
        Characters missing from the base vocabulary are reported and skipped. --from-scratch trains the \
        base's architecture from random weights with the same plan instead (the baseline to compare with). \
        The validation curve is written to <output>.history.json; the checkpoint resumes with `lyrics char train --resume`.
        """
    )

    @OptionGroup var data: CharCorpusOptions
    @Option(name: .long, help: "Trained char model to start from (its architecture and vocabulary are kept).") var base: String
    @Option(name: .long, help: "Checkpoint to write (safetensors).") var output: String
    @Flag(name: .customLong("from-scratch"), help: "Ignore the base weights: same architecture, random initialisation.") var fromScratch = false

    @Option(name: .customLong("seq-length"), help: "Characters per truncated-BPTT chunk.") var seqLength: Int = 64
    @Option(name: .long, help: "Parallel streams per step.") var batch: Int = 16
    @Option(name: .long, help: "Peak learning rate (default 1e-3 fine-tuning, 3e-3 from scratch).") var lr: Float?
    @Option(name: .long, help: "Fraction of training used for warmup.") var warmup: Double = 0.02
    @Option(name: .long, help: "Gradient-norm clipping threshold (0 = off).") var clip: Float = 5
    @Option(name: .long, help: "Passes over the training text.") var epochs: Double?
    @Option(name: .long, help: "Training time budget in minutes.") var minutes: Double?
    @Option(name: .long, help: "Stop after this many steps (the schedule is unchanged).") var steps: Int?
    @Option(name: .customLong("eval-every"), help: "Validate every N steps.") var evalEvery: Int = 50
    @Option(name: .long, help: "Stop after N validations without improvement (0 = never).") var patience: Int = 5
    @Option(name: .long, help: "Random seed.") var seed: UInt64 = 1
    @Flag(name: .long, help: "No progress output.") var quiet = false

    func validate() throws {
        if let e = epochs, !(e > 0) { throw ValidationError("--epochs must be positive") }
        if let m = minutes, !(m > 0) { throw ValidationError("--minutes must be positive") }
        if let s = steps, s < 1 { throw ValidationError("--steps must be at least 1") }
        guard seqLength >= 1, batch >= 1 else { throw ValidationError("--seq-length and --batch must be at least 1") }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be positive") }
        guard warmup >= 0, warmup < 1 else { throw ValidationError("--warmup must be in [0, 1)") }
        guard evalEvery >= 1 else { throw ValidationError("--eval-every must be at least 1") }
    }

    func run() throws { try runReportingErrors { try fineTune() } }

    private func fineTune() throws {
        data.applyThreads()
        let loaded = try CharCheckpoint.load(base)
        let corpus = try data.load()
        let texts = CharTexts(corpus: corpus)
        let coverage = VocabularyCoverage(text: texts.train + texts.valid, vocabulary: loaded.vocabulary)
        if !coverage.isComplete { note("\(data.corpus): \(coverage.summary)") }
        var o = CharTrainingOptions()
        o.sequenceLength = seqLength; o.batch = batch; o.learningRate = lr ?? (fromScratch ? 3e-3 : 1e-3)
        o.warmup = warmup; o.clipNorm = clip; o.epochs = epochs ?? (minutes == nil ? 1 : nil); o.minutes = minutes
        o.evalEvery = evalEvery; o.patience = patience; o.seed = seed
        let trainer = try CharFineTuning.trainer(base: loaded, options: o, train: loaded.vocabulary.encode(texts.train).ids,
                                                 valid: loaded.vocabulary.encode(texts.valid).ids, fromScratch: fromScratch)
        let c = loaded.config
        say("\(fromScratch ? "from scratch" : "fine-tuning \(base)"): \(c.cell.rawValue) \(c.layers)x\(c.hiddenSize), \(trainer.trainIDs.count) training / \(trainer.validIDs.count) validation characters of \(data.corpus), \(trainer.stepsPerEpoch) steps per epoch, peak lr \(o.learningRate)")
        var history = TrainingHistory(base: fromScratch ? nil : base, corpus: data.corpus, fromScratch: fromScratch)
        signal(SIGINT) { _ in fineTuneInterruptRequested = 1 }
        let progress = ProgressReporter(label: fromScratch ? "char scratch" : "char fine-tune",
                                        total: trainer.plannedSteps.map(Double.init) ?? (o.minutes ?? 1) * 60,
                                        unit: trainer.plannedSteps == nil ? "s" : "step", enabled: !quiet)
        try CharFineTuning.run(trainer, history: &history, maxSteps: steps, shouldStop: { fineTuneInterruptRequested != 0 }) { event in
            switch event {
            case .step(let bits, let rate):
                let done = trainer.plannedSteps == nil ? trainer.state.elapsedSeconds : Double(trainer.state.step)
                progress.update(done: done, extra: String(format: "step %d bpc %.3f lr %.2e", trainer.state.step, bits, rate))
            case .validation(let bits, let best, let improved):
                say(String(format: "step %d epoch %d: valid bpc %.4f (best %.4f)%@", trainer.state.step, trainer.state.epoch,
                           bits, best, improved ? " *" : ""))
            }
        }
        try CharCheckpoint.save(trainer, to: output)
        try history.write(to: TrainingHistory.path(forCheckpoint: output))
        progress.finish(trainer.state.stopReason ?? "stopped")
        let start = history.points.first?.validBits ?? .nan
        print(String(format: "steps %d valid bpc %.4f (started at %.4f) checkpoint %@", trainer.state.step,
                     trainer.state.lastValidBits ?? .nan, start, output))
        if fineTuneInterruptRequested != 0 { throw ExitCode(130) }
    }

    private func say(_ s: String) { if !quiet { note(s) } }
}
