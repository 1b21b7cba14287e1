import ArgumentParser
import Foundation
import LyricsCore
import NeuralNet
import WordModel

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

    @OptionGroup var plan: PlanOptions

    func run() throws {
        data.applyThreads()
        let loaded = try WordCheckpoint.load(base)
        let table = try VectorTable.load(vectors ?? loaded.vectorsPath)
        let texts = WordTexts(try data.trainingTexts())
        let coverage = WordCoverage(text: texts.train, table: table)
        if coverage.unknown > 0 { plan.say("\(data.corpus): \(coverage.summary)") }
        let o = plan.options(over: .wordFineTuning(fromScratch: fromScratch))
        let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
        let trainer = try WordFineTuning.trainer(base: loaded, table: table, options: o, train: table.encode(texts.train),
                                                 valid: valid, fromScratch: fromScratch)
        var inputs = data.inputs
        inputs.vectors = absolutePath(vectors ?? loaded.vectorsPath)
        inputs.base = absolutePath(base)
        inputs.fromScratch = fromScratch
        trainer.inputs = inputs
        let start = trainer.state.lastValidBits ?? .nan
        plan.say("\(fromScratch ? "from scratch" : "fine-tuning \(base)"): \(trainer.trainIDs.count) training / \(valid.tokens) validation words of \(data.corpus), \(trainer.stepsPerEpoch) steps per epoch, peak lr \(o.learningRate)"
            + String(format: ", starting valid bpc %.4f", start))
        let unit = trainer.model.config.loss == .vmf ? "bits/word" : "1-cos"
        try TrainingRun(trainer: trainer, path: output, label: fromScratch ? "word scratch" : "word fine-tune", lossUnit: unit,
                        tokenUnit: "words", plan: plan, save: { try WordCheckpoint.save(trainer, to: $0) }).run()
        plan.say(String(format: "started at valid bpc %.4f", start))
    }
}
