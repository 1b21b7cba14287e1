import ArgumentParser
import Foundation
import LyricsCore
import Recurrent

/// Set by the SIGINT handler; the training loop saves at the next step boundary and exits.
nonisolated(unsafe) private var interruptRequested: sig_atomic_t = 0

struct CharTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a character-level LSTM/GRU (train split, validated on the valid split).",
        discussion: "Progress and bits per character go to stderr; Ctrl-C saves a checkpoint and exits, --resume continues it exactly."
    )

    @OptionGroup var data: CharCorpusOptions

    @Option(name: .long, help: "Checkpoint to write (safetensors).")
    var output: String?
    @Option(name: .long, help: "Continue training from this checkpoint (same corpus).")
    var resume: String?

    @Option(name: .long, help: "Recurrent cell: lstm or gru.") var cell: CellKind = .lstm
    @Option(name: .long, help: "Recurrent layers.") var layers: Int = 2
    @Option(name: .long, help: "Hidden units per layer.") var hidden: Int = 384
    @Option(name: .long, help: "Character embedding size.") var embedding: Int = 32
    @Option(name: .long, help: "Dropout between layers and before the output (0 = off).") var dropout: Float = 0

    @Option(name: .customLong("seq-length"), help: "Characters per truncated-BPTT chunk.") var seqLength: Int = 64
    @Option(name: .long, help: "Parallel streams per step.") var batch: Int = 32
    @Option(name: .long, help: "Peak learning rate (Adam).") var lr: Float = 3e-3
    @Option(name: .long, help: "Fraction of training used for warmup.") var warmup: Double = 0.02
    @Option(name: .long, help: "Gradient-norm clipping threshold (0 = off).") var clip: Float = 5
    @Option(name: .long, help: "Passes over the training text.") var epochs: Double?
    @Option(name: .long, help: "Training time budget in minutes (the schedule follows elapsed time).") var minutes: Double?
    @Option(name: .long, help: "Stop after this many steps in total (the schedule is unchanged).") var steps: Int?
    @Option(name: .customLong("eval-every"), help: "Validate every N steps.") var evalEvery: Int = 500
    @Option(name: .long, help: "Stop after N validations without improvement (0 = never).") var patience: Int = 5
    @Option(name: .long, help: "Random seed for initialisation and dropout.") var seed: UInt64 = 1
    @Option(name: .customLong("save-every"), help: "Minutes between periodic checkpoints.") var saveEvery: Double = 5
    @Flag(name: .long, help: "No progress output.") var quiet = false

    func validate() throws {
        if let e = epochs, !(e > 0) { throw ValidationError("--epochs must be positive") }
        if let m = minutes, !(m > 0) { throw ValidationError("--minutes must be positive") }
        if let s = steps, s < 1 { throw ValidationError("--steps must be at least 1") }
        guard layers >= 1, hidden >= 1, embedding >= 1 else { throw ValidationError("--layers, --hidden and --embedding must be at least 1") }
        guard dropout >= 0, dropout < 1 else { throw ValidationError("--dropout must be in [0, 1)") }
        guard seqLength >= 1, batch >= 1 else { throw ValidationError("--seq-length and --batch must be at least 1") }
        guard lr > 0 else { throw ValidationError("--lr must be positive") }
        guard warmup >= 0, warmup < 1 else { throw ValidationError("--warmup must be in [0, 1)") }
        guard evalEvery >= 1 else { throw ValidationError("--eval-every must be at least 1") }
        guard saveEvery > 0 else { throw ValidationError("--save-every must be positive") }
        if resume == nil && output == nil { throw ValidationError("give --output for the checkpoint (or --resume a run)") }
    }

    func run() throws {
        try runReportingErrors { try train() }
    }

    private func train() throws {
        data.applyThreads()
        let corpus = try data.load()
        let texts = CharTexts(corpus: corpus)
        let trainer: CharTrainer
        let path: String
        if let resume {
            let loaded = try CharCheckpoint.load(resume)
            let train = loaded.vocabulary.encode(texts.train).ids
            let valid = loaded.vocabulary.encode(texts.valid).ids
            trainer = try CharCheckpoint.trainer(loaded, train: train, valid: valid) { o in
                if let epochs { o.epochs = epochs }
                if let minutes { o.minutes = minutes }
            }
            // A new budget reopens a run that had finished its old one (not one stopped early).
            if (epochs != nil || minutes != nil), trainer.state.stopReason == "finished" { trainer.state.stopReason = nil }
            path = output ?? resume
            note("resuming \(resume) at step \(trainer.state.step) (epoch \(trainer.state.epoch))")
        } else {
            let vocabulary = CharVocabulary(text: texts.train)
            let config = CharModelConfig(cell: cell, layers: layers, hiddenSize: hidden, embeddingSize: embedding, dropout: dropout)
            var o = CharTrainingOptions()
            o.sequenceLength = seqLength; o.batch = batch; o.learningRate = lr; o.warmup = warmup
            o.clipNorm = clip; o.epochs = epochs ?? (minutes == nil ? 1 : nil); o.minutes = minutes
            o.evalEvery = evalEvery; o.patience = patience; o.seed = seed
            trainer = try CharTrainer(config: config, vocabulary: vocabulary, options: o,
                                      train: vocabulary.encode(texts.train).ids, valid: vocabulary.encode(texts.valid).ids)
            path = output!
            note("\(config.cell.rawValue) \(config.layers)x\(config.hiddenSize), \(trainer.model.parameters.count) parameters, vocabulary \(vocabulary.count), \(trainer.trainIDs.count) training / \(trainer.validIDs.count) validation characters, \(trainer.stepsPerEpoch) steps per epoch")
        }
        signal(SIGINT) { _ in interruptRequested = 1 }
        let o = trainer.options
        let charsPerStep = Double(o.batch * o.sequenceLength)
        let budget: (total: Double, unit: String) = o.minutes != nil && trainer.plannedSteps == nil
            ? (o.minutes! * 60, "s") : (Double(trainer.plannedSteps!), "step")
        let progress = ProgressReporter(label: "char train", total: budget.total, unit: budget.unit, enabled: !quiet)
        var ema: Double?
        let startStep = trainer.state.step, started = Date()
        try trainer.run(maxSteps: steps, saveEvery: saveEvery * 60, shouldStop: { interruptRequested != 0 },
                        save: { try CharCheckpoint.save(trainer, to: path) }) { event in
            switch event {
            case .step(let bits, let rate):
                ema = ema.map { 0.98 * $0 + 0.02 * bits } ?? bits
                let speed = Double(trainer.state.step - startStep) * charsPerStep / max(Date().timeIntervalSince(started), 1e-9)
                let done = budget.unit == "s" ? trainer.state.elapsedSeconds : Double(trainer.state.step)
                progress.update(done: done, extra: String(format: "step %d epoch %d train bpc %.3f lr %.2e %@ char/s",
                                                           trainer.state.step, trainer.state.epoch, ema!, rate,
                                                           ProgressReporter.humanCount(speed)))
            case .validation(let bits, let best, let improved):
                note(String(format: "step %d epoch %d: train bpc %.4f, valid bpc %.4f (best %.4f)%@", trainer.state.step,
                            trainer.state.epoch, ema ?? .nan, bits, best, improved ? " *" : ""))
            }
        }
        try CharCheckpoint.save(trainer, to: path)
        if interruptRequested != 0 {
            note("interrupted: saved \(path) at step \(trainer.state.step); continue with --resume \(path)")
            throw ExitCode(130)
        }
        let valid = trainer.state.lastValidBits ?? trainer.validate()
        progress.finish(trainer.state.stopReason ?? "stopped")
        print(String(format: "steps %d epochs %.2f train bpc %.4f valid bpc %.4f checkpoint %@", trainer.state.step,
                     Double(trainer.state.step) / Double(trainer.stepsPerEpoch), ema ?? .nan, valid, path))
    }

    private func note(_ s: String) {
        if !quiet { FileHandle.standardError.write(Data((s + "\n").utf8)) }
    }
}
