import ArgumentParser
import Foundation
import LyricsCore
import CharModel
import NeuralNet

struct CharFineTune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fine-tune",
        abstract: "Continue a trained char model on another (small) corpus: same vocabulary, fresh optimizer.",
        discussion: """
        Trains on the corpus's train split and validates on its valid split (the shared 50-line-block split). \
        Characters missing from the base vocabulary are reported and skipped. --from-scratch trains the \
        base's architecture from random weights with the same plan instead (the baseline to compare with). \
        The checkpoint holds the loss curve (the first point is the starting score) and resumes with `lyrics char train --resume`.
        """
    )

    @OptionGroup var data: CharCorpusOptions
    @Option(name: .long, help: "Trained char model to start from (its architecture and vocabulary are kept).") var base: String
    @Option(name: .long, help: "Checkpoint to write (safetensors).") var output: String
    @Flag(name: .customLong("from-scratch"), help: "Ignore the base weights: same architecture, random initialisation.") var fromScratch = false

    @OptionGroup var plan: PlanOptions

    func run() throws {
        data.applyThreads()
        let loaded = try CharCheckpoint.load(base)
        let texts = try data.trainingTexts()
        let coverage = VocabularyCoverage(text: texts.train + texts.valid, vocabulary: loaded.vocabulary)
        if !coverage.isComplete { plan.say("\(data.corpus): \(coverage.summary)") }
        let o = plan.options(over: .charFineTuning(fromScratch: fromScratch))
        let trainer = try CharFineTuning.trainer(base: loaded, options: o, train: loaded.vocabulary.encode(texts.train).ids,
                                                 valid: loaded.vocabulary.encode(texts.valid).ids, fromScratch: fromScratch)
        var inputs = data.inputs
        inputs.base = absolutePath(base)
        inputs.fromScratch = fromScratch
        trainer.inputs = inputs
        let c = loaded.config
        let start = trainer.state.lastValidBits ?? .nan
        plan.say("\(fromScratch ? "from scratch" : "fine-tuning \(base)"): \(c.cell.rawValue) \(c.layers)x\(c.hiddenSize), \(trainer.trainIDs.count) training / \(trainer.validIDs.count) validation characters of \(data.corpus), \(trainer.stepsPerEpoch) steps per epoch, peak lr \(o.learningRate)"
            + String(format: ", starting valid bpc %.4f", start))
        try TrainingRun(trainer: trainer, path: output, label: fromScratch ? "char scratch" : "char fine-tune", lossUnit: "bpc",
                        tokenUnit: "char", plan: plan, save: { try CharCheckpoint.save(trainer, to: $0) }).run()
        plan.say(String(format: "started at valid bpc %.4f", start))
    }
}
