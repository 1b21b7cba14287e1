import ArgumentParser
import Blending
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

    @OptionGroup var plan: FineTunePlanOptions<WordPlanDefaults>

    func run() throws { try runReportingErrors { try fineTune() } }

    private func fineTune() throws {
        data.applyThreads()
        let loaded = try WordCheckpoint.load(base)
        let table = try VectorTable.load(vectors ?? loaded.vectorsPath)
        let texts = WordTexts(corpus: try data.load())
        let coverage = WordCoverage(text: texts.train, table: table)
        if coverage.unknown > 0 { say("\(data.corpus): \(coverage.summary)") }
        let o = plan.options(fromScratch: fromScratch)
        let valid = HeldOutText(normalized: texts.valid, table: table, spelling: texts.spelling)
        let trainer = try WordFineTuning.trainer(base: loaded, table: table, options: o, train: table.encode(texts.train),
                                                 valid: valid, fromScratch: fromScratch)
        let start = trainer.state.lastValidBits
        say("\(fromScratch ? "from scratch" : "fine-tuning \(base)"): \(trainer.trainIDs.count) training / \(valid.tokens) validation words of \(data.corpus), \(trainer.stepsPerEpoch) steps per epoch, peak lr \(o.learningRate)"
            + (start.map { String(format: ", starting valid bpc %.4f", $0) } ?? ""))
        Interrupt.install()
        let progress = trainer.progressReporter(label: fromScratch ? "word scratch" : "word fine-tune", enabled: !plan.quiet)
        try trainer.run(shouldStop: { Interrupt.requested }) { event in
            switch event {
            case .step(let loss, let rate):
                progress.update(done: trainer.progressDone,
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
        if Interrupt.requested { throw ExitCode(130) }
    }

    private func say(_ s: String) { if !plan.quiet { note(s) } }
}
