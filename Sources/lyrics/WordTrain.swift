import ArgumentParser
import Foundation
import LyricsCore
import NeuralNet
import WordModel

/// `lyrics word train`: as `char train`, over pretrained word vectors.
struct WordTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a word LSTM over pretrained vectors (train split, validated on the valid split).",
        discussion: """
        --loss vmf (default) trains softmax(y·ê) over the whole vocabulary; --loss cosine trains 1 − cos(y, e_next). \
        When the run ends the checkpoint holds the weights of the best validation (cosine models also get their \
        kappa fitted on validation). Ctrl-C (and --steps) save the exact state; `--resume FILE` alone continues it \
        (corpus, split, vectors, threads and plan come from the file; --epochs, --minutes or --steps extend the budget).
        """
    )

    @OptionGroup var data: CharCorpusOptions
    @OptionGroup var vectors: WordVectorsOption

    @Option(name: .long, help: "Checkpoint to write (safetensors).") var output: String?
    @Option(name: .long, help: "Continue the training run stored in this checkpoint.") var resume: String?

    @Option(name: .long, help: "Loss: vmf or cosine (default vmf).") var loss: WordLoss?
    @Option(name: .long, help: "LSTM layers (default 2).") var layers: Int?
    @Option(name: .long, help: "Hidden units per layer (default 256).") var hidden: Int?
    @Option(name: .long, help: "Dropout after each LSTM layer, 0 = off (default 0.25).") var dropout: Float?
    @Flag(name: .customLong("fine-tune-vectors"), help: "Also train the input vectors (the output table stays fixed).") var fineTune = false
    @Option(name: .long, help: "vMF: words sampled per step for the training softmax's normaliser, besides the chunk's targets; 0 = the exact normaliser (default 2048; exact anyway under 4 x this many words). Validation is always exact.")
    var negatives: Int?

    @OptionGroup var plan: PlanOptions

    func validate() throws {
        if let l = layers, l < 1 { throw ValidationError("--layers: must be at least 1") }
        if let h = hidden, h < 1 { throw ValidationError("--hidden: must be at least 1") }
        if let d = dropout, !(d >= 0 && d < 1) { throw ValidationError("--dropout: must be in [0, 1)") }
        if let n = negatives, n < 0 { throw ValidationError("--negatives: must be 0 or more") }
        if resume == nil && output == nil { throw ValidationError("give --output for the checkpoint (or --resume a run)") }
    }

    var config: WordModelConfig {
        let d = WordModelConfig()
        return WordModelConfig(loss: loss ?? d.loss, layers: layers ?? d.layers, hiddenSize: hidden ?? d.hiddenSize,
                               dropout: dropout ?? d.dropout, fineTuneVectors: fineTune)
    }

    func run() throws {
        let trainer: WordTrainer
        if let resume {
            try refusePlanChanges(resume: resume, given: data.givenFlags + plan.givenPlanFlags
                + [("--vectors", vectors.given), ("--loss", loss != nil), ("--layers", layers != nil), ("--hidden", hidden != nil),
                   ("--dropout", dropout != nil), ("--fine-tune-vectors", fineTune), ("--negatives", negatives != nil)].filter(\.1).map(\.0))
            let loaded = try WordCheckpoint.load(resume)
            try loaded.requireTraining()
            trainer = try resumedRun(resume, file: loaded.file, plan: plan) { _, texts, extend in
                let texts = WordTexts(texts)
                let table = try VectorTable.load(loaded.vectorsPath)
                let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
                return try WordCheckpoint.trainer(loaded, table: table, train: table.encode(texts.train), valid: valid, adjust: extend)
            }
        } else {
            data.applyThreads()
            let texts = WordTexts(try data.trainingTexts())
            let table = try vectors.load(quiet: plan.quiet)
            let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
            var options = plan.options(over: .wordDefaults)
            if let negatives { options.negatives = negatives }
            trainer = try WordTrainer(config: config, table: table, options: options, train: table.encode(texts.train), valid: valid)
            var inputs = data.inputs
            inputs.vectors = absolutePath(vectors.path)
            trainer.inputs = inputs
            plan.say("\(config.loss.rawValue) word LSTM \(config.layers)x\(config.hiddenSize) over \(table.count) words × \(table.dimension) (\(vectors.path)), \(trainer.model.parameters.count) parameters, \(trainer.trainIDs.count) training / \(valid.tokens) validation words, \(trainer.stepsPerEpoch) steps per epoch")
        }
        let unit = trainer.model.config.loss == .vmf ? "bits/word" : "1-cos"
        let path = output ?? resume!
        try TrainingRun(trainer: trainer, path: path, label: "word train", lossUnit: unit, tokenUnit: "words", plan: plan,
                        save: { try WordCheckpoint.save(trainer, to: $0) }).run()
        if trainer.model.config.loss == .cosine { plan.say(String(format: "kappa %.3f", trainer.model.kappa)) }
    }
}
