import ArgumentParser
import Foundation
import LyricsCore
import CharModel
import NeuralNet

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

    @OptionGroup var plan: TrainingPlanOptions<CharPlanDefaults>

    func validate() throws {
        guard layers >= 1, hidden >= 1, embedding >= 1 else { throw ValidationError("--layers, --hidden and --embedding must be at least 1") }
        guard dropout >= 0, dropout < 1 else { throw ValidationError("--dropout must be in [0, 1)") }
        if resume == nil && output == nil { throw ValidationError("give --output for the checkpoint (or --resume a run)") }
    }

    func run() throws {
        try runReportingErrors { try train() }
    }

    private func train() throws {
        data.applyThreads()
        let texts = try data.trainingTexts()
        let trainer: CharTrainer
        let path: String
        if let resume {
            let loaded = try CharCheckpoint.load(resume)
            let train = loaded.vocabulary.encode(texts.train).ids
            let valid = loaded.vocabulary.encode(texts.valid).ids
            trainer = try CharCheckpoint.trainer(loaded, train: train, valid: valid, adjust: plan.applyNewBudget)
            // A new budget reopens a run that had finished its old one (not one stopped early).
            if plan.hasNewBudget, trainer.state.stopReason == "finished" { trainer.state.stopReason = nil }
            path = output ?? resume
            note("resuming \(resume) at step \(trainer.state.step) (epoch \(trainer.state.epoch))")
        } else {
            let vocabulary = CharVocabulary(text: texts.train)
            let config = CharModelConfig(cell: cell, layers: layers, hiddenSize: hidden, embeddingSize: embedding, dropout: dropout)
            trainer = try CharTrainer(config: config, vocabulary: vocabulary, options: plan.options,
                                      train: vocabulary.encode(texts.train).ids, valid: vocabulary.encode(texts.valid).ids)
            path = output!
            note("\(config.cell.rawValue) \(config.layers)x\(config.hiddenSize), \(trainer.model.parameters.count) parameters, vocabulary \(vocabulary.count), \(trainer.trainIDs.count) training / \(trainer.validIDs.count) validation characters, \(trainer.stepsPerEpoch) steps per epoch")
        }
        Interrupt.install()
        let progress = trainer.progressReporter(label: "char train", enabled: !plan.quiet)
        var meter = TrainingMeter(trainer)
        try trainer.run(maxSteps: plan.steps, saveEvery: plan.saveEvery * 60, shouldStop: { Interrupt.requested },
                        save: { try CharCheckpoint.save(trainer, to: path) }) { event in
            switch event {
            case .step(let bits, let rate):
                meter.add(loss: bits)
                let speed = meter.speed(atStep: trainer.state.step)
                progress.update(done: trainer.progressDone,
                                extra: String(format: "step %d epoch %d train bpc %.3f lr %.2e %@ char/s", trainer.state.step,
                                              trainer.state.epoch, meter.smoothedLoss!, rate, ProgressReporter.humanCount(speed)))
            case .validation(let bits, let best, let improved):
                note(String(format: "step %d epoch %d: train bpc %.4f, valid bpc %.4f (best %.4f)%@", trainer.state.step,
                            trainer.state.epoch, meter.smoothedLoss ?? .nan, bits, best, improved ? " *" : ""))
            }
        }
        try CharCheckpoint.save(trainer, to: path)
        if Interrupt.requested {
            note("interrupted: saved \(path) at step \(trainer.state.step); continue with --resume \(path)")
            throw ExitCode(130)
        }
        let valid = trainer.state.lastValidBits ?? trainer.validate()
        progress.finish(trainer.state.stopReason ?? "stopped")
        print(String(format: "steps %d epochs %.2f train bpc %.4f valid bpc %.4f checkpoint %@", trainer.state.step,
                     Double(trainer.state.step) / Double(trainer.stepsPerEpoch), meter.smoothedLoss ?? .nan, valid, path))
    }

    private func note(_ s: String) {
        if !plan.quiet { FileHandle.standardError.write(Data((s + "\n").utf8)) }
    }
}
