import ArgumentParser
import Foundation
import LyricsCore
import Recurrent
import WordModel

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

    @OptionGroup var plan: TrainingPlanOptions<WordPlanDefaults>

    func validate() throws {
        guard layers >= 1, hidden >= 1 else { throw ValidationError("--layers and --hidden must be at least 1") }
        guard dropout >= 0, dropout < 1 else { throw ValidationError("--dropout must be in [0, 1)") }
        if resume == nil && output == nil { throw ValidationError("give --output for the checkpoint (or --resume a run)") }
    }

    func run() throws { try runReportingErrors { try train() } }

    private func train() throws {
        data.applyThreads()
        let texts = WordTexts(try data.trainingTexts())
        let trainer: WordTrainer
        let path: String
        if let resume {
            let loaded = try WordCheckpoint.load(resume)
            let table = try VectorTable.load(loaded.vectorsPath)
            let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
            trainer = try WordCheckpoint.trainer(loaded, table: table, train: table.encode(texts.train), valid: valid,
                                                 adjust: plan.applyNewBudget)
            path = output ?? resume
            say("resuming \(resume) at step \(trainer.state.step) (epoch \(trainer.state.epoch))")
        } else {
            let table = try vectors.load(quiet: plan.quiet)
            let config = WordModelConfig(loss: loss, layers: layers, hiddenSize: hidden, dropout: dropout, fineTuneVectors: fineTune)
            let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
            trainer = try WordTrainer(config: config, table: table, options: plan.options, train: table.encode(texts.train), valid: valid)
            path = output!
            say("\(loss.rawValue) word LSTM \(layers)x\(hidden) over \(table.count) words × \(table.dimension) (\(vectors.path)), \(trainer.model.parameters.count) parameters, \(trainer.trainIDs.count) training / \(valid.tokens) validation words, \(trainer.stepsPerEpoch) steps per epoch")
        }
        Interrupt.install()
        let progress = trainer.progressReporter(label: "word train", enabled: !plan.quiet)
        let unit = trainer.model.config.loss == .vmf ? "bits/word" : "1-cos"
        var meter = TrainingMeter(trainer)
        try trainer.run(maxSteps: plan.steps, saveEvery: plan.saveEvery * 60, shouldStop: { Interrupt.requested },
                        save: { try WordCheckpoint.save(trainer, to: path) }) { event in
            switch event {
            case .step(let l, let rate):
                meter.add(loss: l)
                let speed = meter.speed(atStep: trainer.state.step)
                progress.update(done: trainer.progressDone,
                                extra: String(format: "step %d epoch %d train %.3f %@ lr %.2e %@ words/s", trainer.state.step,
                                              trainer.state.epoch, meter.smoothedLoss!, unit, rate, ProgressReporter.humanCount(speed)))
            case .validation(let bits, let best, let improved):
                say(String(format: "step %d epoch %d: train %.4f %@, valid bpc %.4f (best %.4f)%@", trainer.state.step,
                           trainer.state.epoch, meter.smoothedLoss ?? .nan, unit, bits, best, improved ? " *" : ""))
            }
        }
        if Interrupt.requested {
            try WordCheckpoint.save(trainer, to: path)
            say("interrupted: saved \(path) at step \(trainer.state.step); continue with --resume \(path)")
            throw ExitCode(130)
        }
        if let steps = plan.steps, trainer.state.step >= steps, !trainer.isFinished {
            // Stopped by --steps: keep the exact training state so --resume continues bit for bit.
            try WordCheckpoint.save(trainer, to: path)
            progress.finish("stopped at step \(trainer.state.step)")
            // Validated after saving: a cosine model's validation moves kappa, which must not
            // leak into the state a resumed run continues from.
            let valid = trainer.state.lastValidBits ?? trainer.validate()
            print(String(format: "steps %d valid bpc %.4f checkpoint %@", trainer.state.step, valid, path))
            return
        }
        let valid = trainer.finish()
        try WordCheckpoint.save(trainer, to: path)
        progress.finish(trainer.state.stopReason ?? "stopped")
        let kappaNote = trainer.model.config.loss == .cosine ? String(format: " kappa %.3f", trainer.model.kappa) : ""
        print(String(format: "steps %d epochs %.2f train %.4f %@ valid bpc %.4f%@ checkpoint %@", trainer.state.step,
                     Double(trainer.state.step) / Double(trainer.stepsPerEpoch), meter.smoothedLoss ?? .nan, unit, valid, kappaNote, path))
    }

    private func say(_ s: String) { if !plan.quiet { note(s) } }
}
