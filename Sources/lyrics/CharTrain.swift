import ArgumentParser
import CharModel
import Foundation
import LyricsCore
import NeuralNet

/// `lyrics char train`: a new run from flags, or `--resume FILE` continuing the run stored in
/// the file. The path from command to saved file: this file → `CharTrainer` (CharModel) →
/// `SequenceTrainer` (NeuralNet) → `TrainingRun` (TrainingCommandSupport) → `CharCheckpoint`.
struct CharTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a character-level LSTM/GRU (train split, validated on the valid split).",
        discussion: """
        When the run ends (its budget is spent or early stopping triggers) the checkpoint holds the weights \
        of the best validation. Progress goes to stderr, the summary to stdout. Ctrl-C (and --steps) save the \
        exact state; `--resume FILE` alone continues it (corpus, split, threads and plan come from the file; \
        --epochs, --minutes or --steps given with it extend the budget).
        """
    )

    @OptionGroup var data: CharCorpusOptions

    @Option(name: .long, help: "Checkpoint to write (safetensors).") var output: String?
    @Option(name: .long, help: "Continue the training run stored in this checkpoint.") var resume: String?

    @Option(name: .long, help: "Recurrent cell: lstm or gru (default lstm).") var cell: CellKind?
    @Option(name: .long, help: "Recurrent layers (default 2).") var layers: Int?
    @Option(name: .long, help: "Hidden units per layer (default 384).") var hidden: Int?
    @Option(name: .long, help: "Character embedding size (default 32).") var embedding: Int?
    @Option(name: .long, help: "Dropout between layers and before the output, 0 = off (default 0).") var dropout: Float?

    @OptionGroup var plan: PlanOptions

    func validate() throws {
        if let l = layers, l < 1 { throw ValidationError("--layers: must be at least 1") }
        if let h = hidden, h < 1 { throw ValidationError("--hidden: must be at least 1") }
        if let e = embedding, e < 1 { throw ValidationError("--embedding: must be at least 1") }
        if let d = dropout, !(d >= 0 && d < 1) { throw ValidationError("--dropout: must be in [0, 1)") }
        if resume == nil && output == nil { throw ValidationError("give --output for the checkpoint (or --resume a run)") }
    }

    var config: CharModelConfig {
        let d = CharModelConfig()
        return CharModelConfig(cell: cell ?? d.cell, layers: layers ?? d.layers, hiddenSize: hidden ?? d.hiddenSize,
                               embeddingSize: embedding ?? d.embeddingSize, dropout: dropout ?? d.dropout)
    }

    func run() throws {
        let trainer: CharTrainer
        if let resume {
            try refusePlanChanges(resume: resume, given: data.givenFlags + plan.givenPlanFlags
                + [("--cell", cell != nil), ("--layers", layers != nil), ("--hidden", hidden != nil),
                   ("--embedding", embedding != nil), ("--dropout", dropout != nil)].filter(\.1).map(\.0))
            let loaded = try CharCheckpoint.load(resume)
            try loaded.requireTraining()
            trainer = try resumedRun(resume, file: loaded.file, plan: plan) { _, texts, extend in
                try CharCheckpoint.trainer(loaded, train: loaded.vocabulary.encode(texts.train).ids,
                                           valid: loaded.vocabulary.encode(texts.valid).ids, adjust: extend)
            }
        } else {
            data.applyThreads()
            let texts = try data.trainingTexts()
            let vocabulary = CharVocabulary(text: texts.train)
            trainer = try CharTrainer(config: config, vocabulary: vocabulary, options: plan.options(over: .charDefaults),
                                      train: vocabulary.encode(texts.train).ids, valid: vocabulary.encode(texts.valid).ids)
            trainer.inputs = data.inputs
            let c = config
            plan.say("\(c.cell.rawValue) \(c.layers)x\(c.hiddenSize), \(trainer.model.parameters.count) parameters, vocabulary \(vocabulary.count), \(trainer.trainIDs.count) training / \(trainer.validIDs.count) validation characters, \(trainer.stepsPerEpoch) steps per epoch")
        }
        let path = output ?? resume!
        try TrainingRun(trainer: trainer, path: path, label: "char train", lossUnit: "bpc", tokenUnit: "char", plan: plan,
                        save: { try CharCheckpoint.save(trainer, to: $0) }).run()
    }
}
