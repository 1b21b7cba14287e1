import ArgumentParser
import Foundation
import LyricsCore
import Recurrent
import WordModel

/// Set by the SIGINT handler; the training loop saves at the next step boundary and exits.
nonisolated(unsafe) private var wordInterruptRequested: sig_atomic_t = 0

struct WordTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a word LSTM over pretrained vectors (train split, validated on the valid split).",
        discussion: "--loss vmf (default) trains softmax(y·ê) over the whole vocabulary; --loss cosine trains 1 − cos(y, e_next). Progress goes to stderr; Ctrl-C saves a checkpoint, --resume continues it exactly."
    )

    @OptionGroup var data: CharCorpusOptions
    @OptionGroup var vectors: WordVectorsOption

    @Option(name: .long, help: "Checkpoint to write (safetensors).") var output: String?
    @Option(name: .long, help: "Continue training from this checkpoint (same corpus and vectors).") var resume: String?

    @Option(name: .long, help: "Loss: vmf or cosine.") var loss: WordLoss = .vmf
    @Option(name: .long, help: "LSTM layers.") var layers: Int = 2
    @Option(name: .long, help: "Hidden units per layer.") var hidden: Int = 256
    @Option(name: .long, help: "Dropout after each LSTM layer (0 = off).") var dropout: Float = 0.25
    @Flag(name: .customLong("fine-tune-vectors"), help: "Also train the input vectors (the output table stays fixed).") var fineTune = false

    @Option(name: .customLong("seq-length"), help: "Words per truncated-BPTT chunk.") var seqLength: Int = 35
    @Option(name: .long, help: "Parallel streams per step.") var batch: Int = 32
    @Option(name: .long, help: "Peak learning rate (Adam).") var lr: Float = 2e-3
    @Option(name: .long, help: "Fraction of training used for warmup.") var warmup: Double = 0.02
    @Option(name: .long, help: "Gradient-norm clipping threshold (0 = off).") var clip: Float = 5
    @Option(name: .long, help: "Passes over the training text.") var epochs: Double?
    @Option(name: .long, help: "Training time budget in minutes (the schedule follows elapsed time).") var minutes: Double?
    @Option(name: .long, help: "Stop after this many steps in total (the schedule is unchanged).") var steps: Int?
    @Option(name: .customLong("eval-every"), help: "Validate every N steps.") var evalEvery: Int = 100
    @Option(name: .long, help: "Stop after N validations without improvement (0 = never).") var patience: Int = 5
    @Option(name: .long, help: "Random seed for initialisation and dropout.") var seed: UInt64 = 1
    @Option(name: .customLong("save-every"), help: "Minutes between periodic checkpoints.") var saveEvery: Double = 5
    @Flag(name: .long, help: "No progress output.") var quiet = false

    func validate() throws {
        if let e = epochs, !(e > 0) { throw ValidationError("--epochs must be positive") }
        if let m = minutes, !(m > 0) { throw ValidationError("--minutes must be positive") }
        if let s = steps, s < 1 { throw ValidationError("--steps must be at least 1") }
        guard layers >= 1, hidden >= 1 else { throw ValidationError("--layers and --hidden must be at least 1") }
        guard dropout >= 0, dropout < 1 else { throw ValidationError("--dropout must be in [0, 1)") }
        guard seqLength >= 1, batch >= 1 else { throw ValidationError("--seq-length and --batch must be at least 1") }
        guard lr > 0 else { throw ValidationError("--lr must be positive") }
        guard warmup >= 0, warmup < 1 else { throw ValidationError("--warmup must be in [0, 1)") }
        guard evalEvery >= 1 else { throw ValidationError("--eval-every must be at least 1") }
        guard saveEvery > 0 else { throw ValidationError("--save-every must be positive") }
        if resume == nil && output == nil { throw ValidationError("give --output for the checkpoint (or --resume a run)") }
    }

    func run() throws { try runReportingErrors { try train() } }

    private func train() throws {
        data.applyThreads()
        let corpus = try data.load()
        let texts = WordTexts(corpus: corpus)
        let trainer: WordTrainer
        let path: String
        if let resume {
            let loaded = try WordCheckpoint.load(resume)
            let table = try VectorTable.load(loaded.vectors.path)
            let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
            trainer = try WordCheckpoint.trainer(loaded, table: table, train: table.encode(texts.train), valid: valid) { o in
                if let epochs { o.epochs = epochs }
                if let minutes { o.minutes = minutes }
            }
            path = output ?? resume
            say("resuming \(resume) at step \(trainer.state.step) (epoch \(trainer.state.epoch))")
        } else {
            let table = try vectors.load()
            let config = WordModelConfig(loss: loss, layers: layers, hiddenSize: hidden, dropout: dropout, fineTuneVectors: fineTune)
            var o = WordTrainingOptions()
            o.sequenceLength = seqLength; o.batch = batch; o.learningRate = lr; o.warmup = warmup
            o.clipNorm = clip; o.epochs = epochs ?? (minutes == nil ? 1 : nil); o.minutes = minutes
            o.evalEvery = evalEvery; o.patience = patience; o.seed = seed
            let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
            trainer = try WordTrainer(config: config, table: table, options: o, train: table.encode(texts.train), valid: valid)
            path = output!
            say("\(loss.rawValue) word LSTM \(layers)x\(hidden) over \(table.count) words × \(table.dimension) (\(vectors.path)), \(trainer.model.parameters.count) parameters, \(trainer.trainIDs.count) training / \(valid.tokens) validation words, \(trainer.stepsPerEpoch) steps per epoch")
        }
        signal(SIGINT) { _ in wordInterruptRequested = 1 }
        let o = trainer.options
        let wordsPerStep = Double(o.batch * o.sequenceLength)
        let byTime = o.minutes != nil && trainer.plannedSteps == nil
        let progress = ProgressReporter(label: "word train", total: byTime ? o.minutes! * 60 : Double(trainer.plannedSteps!),
                                        unit: byTime ? "s" : "step", enabled: !quiet)
        let unit = trainer.model.config.loss == .vmf ? "bits/word" : "1-cos"
        var ema: Double?
        let startStep = trainer.state.step, started = Date()
        try trainer.run(maxSteps: steps, saveEvery: saveEvery * 60, shouldStop: { wordInterruptRequested != 0 },
                        save: { try WordCheckpoint.save(trainer, to: path) }) { event in
            switch event {
            case .step(let l, let rate):
                ema = ema.map { 0.98 * $0 + 0.02 * l } ?? l
                let speed = Double(trainer.state.step - startStep) * wordsPerStep / max(Date().timeIntervalSince(started), 1e-9)
                progress.update(done: byTime ? trainer.state.elapsedSeconds : Double(trainer.state.step),
                                extra: String(format: "step %d epoch %d train %.3f %@ lr %.2e %@ words/s", trainer.state.step,
                                              trainer.state.epoch, ema!, unit, rate, ProgressReporter.humanCount(speed)))
            case .validation(let bits, let best, let improved):
                say(String(format: "step %d epoch %d: train %.4f %@, valid bpc %.4f (best %.4f)%@", trainer.state.step,
                           trainer.state.epoch, ema ?? .nan, unit, bits, best, improved ? " *" : ""))
            }
        }
        if wordInterruptRequested != 0 {
            try WordCheckpoint.save(trainer, to: path)
            say("interrupted: saved \(path) at step \(trainer.state.step); continue with --resume \(path)")
            throw ExitCode(130)
        }
        if let steps, trainer.state.step >= steps, !trainer.isFinished {
            // Stopped by --steps: keep the exact training state so --resume continues bit for bit.
            try WordCheckpoint.save(trainer, to: path)
            progress.finish("stopped at step \(trainer.state.step)")
            print(String(format: "steps %d valid bpc %.4f checkpoint %@", trainer.state.step, trainer.state.lastValidBits ?? .nan, path))
            return
        }
        let valid = trainer.finish()
        try WordCheckpoint.save(trainer, to: path)
        progress.finish(trainer.state.stopReason ?? "stopped")
        let kappaNote = trainer.model.config.loss == .cosine ? String(format: " kappa %.3f", trainer.model.kappa) : ""
        print(String(format: "steps %d epochs %.2f train %.4f %@ valid bpc %.4f%@ checkpoint %@", trainer.state.step,
                     Double(trainer.state.step) / Double(trainer.stepsPerEpoch), ema ?? .nan, unit, valid, kappaNote, path))
    }

    private func say(_ s: String) { if !quiet { note(s) } }
}
