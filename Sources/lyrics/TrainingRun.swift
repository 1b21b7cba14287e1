import ArgumentParser
import Foundation
import LyricsCore
import NeuralNet

/// The one way every training command runs its trainer: progress (loss, learning rate,
/// gradient norm, speed, ETA) on stderr, a checkpoint every `saveEvery` minutes, Ctrl-C saves and
/// exits 130, `--steps` saves the exact state for `--resume`, a run that ends keeps its best
/// validated weights (`SequenceTrainer.finish`) and is saved, a diverged run stops with one error
/// line and leaves the last good checkpoint, and the summary goes to stdout.
struct TrainingRun<Model: TrainableSequenceModel> {
    let trainer: SequenceTrainer<Model>
    let path: String
    /// Names the run in progress lines ("char train", "word fine-tune").
    let label: String
    /// The training loss's unit ("bpc", "bits/word", "1-cos") and what a token is ("char", "words").
    let lossUnit: String
    let tokenUnit: String
    let plan: PlanOptions
    let save: (String) throws -> Void

    /// Runs to the end of the plan (or an interruption) and returns the final validation bits
    /// per character when the run ended, nil when it stopped resumably.
    @discardableResult
    func run() throws -> Double? {
        Interrupt.install()
        // The end of setup: under mpirun every rank must be about to train the same thing.
        try Distributed.agree(fingerprint: trainer.setupFingerprint)
        let timeBudgeted = trainer.plannedSteps == nil
        let progress = ProgressReporter(label: label, total: timeBudgeted ? (trainer.options.minutes ?? 1) * 60 : Double(trainer.plannedSteps!),
                                        unit: timeBudgeted ? "s" : "step", enabled: !plan.quiet)
        let started = Date(), startStep = trainer.state.step
        let tokensPerStep = Double(trainer.options.batch * trainer.options.sequenceLength)  // all ranks' streams
        var smoothed: Double?
        var savedStep: Int?
        do {
            try trainer.run(saveEvery: plan.saveEvery * 60, shouldStop: { Interrupt.requested },
                            save: { try save(path); savedStep = trainer.state.step }) { event in
                switch event {
                case .step(let loss, let rate, let norm):
                    smoothed = smoothed.map { 0.98 * $0 + 0.02 * loss } ?? loss
                    let speed = Double(trainer.state.step - startStep) * tokensPerStep / max(Date().timeIntervalSince(started), 1e-9)
                    progress.update(done: timeBudgeted ? trainer.state.elapsedSeconds : Double(trainer.state.step),
                                    extra: String(format: "step %d epoch %d loss %.3f %@ lr %.2e |g| %.2f %@ %@/s", trainer.state.step,
                                                  trainer.state.epoch, smoothed!, lossUnit, rate, norm,
                                                  ProgressReporter.humanCount(speed), tokenUnit))
                case .validation(let bits, let best, let improved):
                    plan.say(String(format: "step %d epoch %d: train %.4f %@, valid bpc %.4f (best %.4f)%@", trainer.state.step,
                               trainer.state.epoch, smoothed ?? .nan, lossUnit, bits, best, improved ? " *" : ""))
                }
            }
        } catch let e as TrainingDiverged {
            let kept = savedStep.map { "the last good checkpoint (step \($0)) is kept" } ?? "nothing was saved in this run"
            throw LyricsError(file: path, "\(e.description); \(kept)")
        }
        if trainer.stopRequested {
            try save(path)
            plan.say("interrupted: saved \(path) at step \(trainer.state.step); continue with --resume \(path)")
            throw ExitCode(130)
        }
        if !trainer.isFinished, trainer.reachedMaxSteps {
            try save(path)
            progress.finish("stopped at step \(trainer.state.step) (--steps)")
            print(String(format: "steps %d train %.4f %@ checkpoint %@ (continue with --resume)", trainer.state.step,
                         smoothed ?? .nan, lossUnit, path))
            return nil
        }
        let valid = trainer.finish()
        try save(path)
        progress.finish(trainer.state.stopReason ?? "finished")
        print(String(format: "steps %d epochs %.2f train %.4f %@ valid bpc %.4f (best weights) checkpoint %@", trainer.state.step,
                     Double(trainer.state.step) / Double(trainer.stepsPerEpoch), smoothed ?? .nan, lossUnit, valid, path))
        return valid
    }
}

/// Ctrl-C during a training command: the handler only sets a flag, which the training loop
/// checks between steps, so the command can save a checkpoint at a step boundary and exit.
enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Installs the SIGINT handler (touching the flag first, so the handler never initialises it).
    static func install() {
        flag = 0
        signal(SIGINT) { _ in Interrupt.flag = 1 }
    }

    static var requested: Bool { flag != 0 }
}
