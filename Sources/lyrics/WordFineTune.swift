import ArgumentParser
import Blending
import Foundation
import LyricsCore
import Recurrent
import WordModel

/// Set by the SIGINT handler; the loop stops at the next step boundary and saves.
nonisolated(unsafe) private var wordFineTuneInterruptRequested: sig_atomic_t = 0

struct WordFineTune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fine-tune",
        abstract: "Continue a trained word model on another (small) corpus: same vectors, fresh optimizer.",
        discussion: """
        Trains on the corpus's train split and validates on its valid split. Words missing from the vectors' \
        vocabulary are reported (they are read as <unk>, as in training). --from-scratch trains the base's \
        architecture from random weights with the same plan instead. The checkpoint's loss history is the curve.
        """
    )

    @OptionGroup var data: CharCorpusOptions
    @Option(name: .long, help: "Trained word model to start from.") var base: String
    @Option(name: .long, help: "Checkpoint to write (safetensors).") var output: String
    @Option(name: .long, help: "Word vectors (default: the file the base checkpoint names).") var vectors: String?
    @Flag(name: .customLong("from-scratch"), help: "Ignore the base weights: same architecture, random initialisation.") var fromScratch = false

    @Option(name: .customLong("seq-length"), help: "Words per truncated-BPTT chunk.") var seqLength: Int = 35
    @Option(name: .long, help: "Parallel streams per step.") var batch: Int = 16
    @Option(name: .long, help: "Peak learning rate (default 5e-4 fine-tuning, 2e-3 from scratch).") var lr: Float?
    @Option(name: .long, help: "Fraction of training used for warmup.") var warmup: Double = 0.02
    @Option(name: .long, help: "Gradient-norm clipping threshold (0 = off).") var clip: Float = 5
    @Option(name: .long, help: "Passes over the training text.") var epochs: Double?
    @Option(name: .long, help: "Training time budget in minutes.") var minutes: Double?
    @Option(name: .customLong("eval-every"), help: "Validate every N steps.") var evalEvery: Int = 25
    @Option(name: .long, help: "Stop after N validations without improvement (0 = never).") var patience: Int = 5
    @Option(name: .long, help: "Random seed.") var seed: UInt64 = 1
    @Flag(name: .long, help: "No progress output.") var quiet = false

    func validate() throws {
        if let e = epochs, !(e > 0) { throw ValidationError("--epochs must be positive") }
        if let m = minutes, !(m > 0) { throw ValidationError("--minutes must be positive") }
        guard seqLength >= 1, batch >= 1 else { throw ValidationError("--seq-length and --batch must be at least 1") }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be positive") }
        guard warmup >= 0, warmup < 1 else { throw ValidationError("--warmup must be in [0, 1)") }
        guard evalEvery >= 1 else { throw ValidationError("--eval-every must be at least 1") }
    }

    func run() throws { try runReportingErrors { try fineTune() } }

    private func fineTune() throws {
        data.applyThreads()
        let loaded = try WordCheckpoint.load(base)
        let table = try VectorTable.load(vectors ?? loaded.vectors.path)
        let texts = WordTexts(corpus: try data.load())
        let coverage = WordCoverage(text: texts.train, table: table)
        if coverage.unknown > 0 { say("\(data.corpus): \(coverage.summary)") }
        var o = WordTrainingOptions()
        o.sequenceLength = seqLength; o.batch = batch; o.learningRate = lr ?? (fromScratch ? 2e-3 : 5e-4)
        o.warmup = warmup; o.clipNorm = clip; o.epochs = epochs ?? (minutes == nil ? 1 : nil); o.minutes = minutes
        o.evalEvery = evalEvery; o.patience = patience; o.seed = seed
        let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
        let trainer = try WordFineTuning.trainer(base: loaded, table: table, options: o, train: table.encode(texts.train),
                                                 valid: valid, fromScratch: fromScratch)
        let start = trainer.state.lastValidBits
        say("\(fromScratch ? "from scratch" : "fine-tuning \(base)"): \(trainer.trainIDs.count) training / \(valid.tokens) validation words of \(data.corpus), \(trainer.stepsPerEpoch) steps per epoch, peak lr \(o.learningRate)"
            + (start.map { String(format: ", starting valid bpc %.4f", $0) } ?? ""))
        signal(SIGINT) { _ in wordFineTuneInterruptRequested = 1 }
        let byTime = trainer.plannedSteps == nil
        let progress = ProgressReporter(label: fromScratch ? "word scratch" : "word fine-tune",
                                        total: byTime ? (o.minutes ?? 1) * 60 : Double(trainer.plannedSteps!),
                                        unit: byTime ? "s" : "step", enabled: !quiet)
        try trainer.run(shouldStop: { wordFineTuneInterruptRequested != 0 }) { event in
            switch event {
            case .step(let loss, let rate):
                progress.update(done: byTime ? trainer.state.elapsedSeconds : Double(trainer.state.step),
                                extra: String(format: "step %d loss %.3f lr %.2e", trainer.state.step, loss, rate))
            case .validation(let bits, let best, let improved):
                say(String(format: "step %d epoch %d: valid bpc %.4f (best %.4f)%@", trainer.state.step, trainer.state.epoch,
                           bits, best, improved ? " *" : ""))
            }
        }
        let final = trainer.finish()
        try WordCheckpoint.save(trainer, to: output)
        progress.finish(trainer.state.stopReason ?? "stopped")
        let from = start.map { String(format: " (started at %.4f)", $0) } ?? ""
        print(String(format: "steps %d valid bpc %.4f%@ checkpoint %@", trainer.state.step, final, from, output))
        if wordFineTuneInterruptRequested != 0 { throw ExitCode(130) }
    }

    private func say(_ s: String) { if !quiet { note(s) } }
}
