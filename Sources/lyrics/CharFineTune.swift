import ArgumentParser
import Blending
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
        The validation curve is written to <output>.history.json; the checkpoint resumes with `lyrics char train --resume`.
        """
    )

    @OptionGroup var data: CharCorpusOptions
    @Option(name: .long, help: "Trained char model to start from (its architecture and vocabulary are kept).") var base: String
    @Option(name: .long, help: "Checkpoint to write (safetensors).") var output: String
    @Flag(name: .customLong("from-scratch"), help: "Ignore the base weights: same architecture, random initialisation.") var fromScratch = false

    @OptionGroup var plan: FineTunePlanOptions<CharPlanDefaults>
    @Option(name: .long, help: "Stop after this many steps (the schedule is unchanged).") var steps: Int?

    func validate() throws {
        if let s = steps, s < 1 { throw ValidationError("--steps must be at least 1") }
    }

    func run() throws { try runReportingErrors { try fineTune() } }

    private func fineTune() throws {
        data.applyThreads()
        let loaded = try CharCheckpoint.load(base)
        let corpus = try data.load()
        let texts = CharTexts(corpus: corpus)
        let coverage = VocabularyCoverage(text: texts.train + texts.valid, vocabulary: loaded.vocabulary)
        if !coverage.isComplete { note("\(data.corpus): \(coverage.summary)") }
        let o = plan.options(fromScratch: fromScratch)
        let trainer = try CharFineTuning.trainer(base: loaded, options: o, train: loaded.vocabulary.encode(texts.train).ids,
                                                 valid: loaded.vocabulary.encode(texts.valid).ids, fromScratch: fromScratch)
        let c = loaded.config
        say("\(fromScratch ? "from scratch" : "fine-tuning \(base)"): \(c.cell.rawValue) \(c.layers)x\(c.hiddenSize), \(trainer.trainIDs.count) training / \(trainer.validIDs.count) validation characters of \(data.corpus), \(trainer.stepsPerEpoch) steps per epoch, peak lr \(o.learningRate)")
        var history = TrainingHistory(base: fromScratch ? nil : base, corpus: data.corpus, fromScratch: fromScratch)
        Interrupt.install()
        let progress = trainer.progressReporter(label: fromScratch ? "char scratch" : "char fine-tune", enabled: !plan.quiet)
        try CharFineTuning.run(trainer, history: &history, maxSteps: steps, shouldStop: { Interrupt.requested }) { event in
            switch event {
            case .step(let bits, let rate):
                progress.update(done: trainer.progressDone, extra: String(format: "step %d bpc %.3f lr %.2e", trainer.state.step, bits, rate))
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
        if Interrupt.requested { throw ExitCode(130) }
    }

    private func say(_ s: String) { if !plan.quiet { note(s) } }
}
