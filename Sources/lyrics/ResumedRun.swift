import Foundation
import LyricsCore
import NeuralNet

/// Refuses options that would change a resumed run's plan: `--resume FILE` alone continues it
/// exactly (corpus, split, threads, model and plan come from the checkpoint); budget flags
/// (`--epochs`, `--minutes`, `--steps`) may extend it.
func refusePlanChanges(resume: String, given: [String]) throws {
    guard !given.isEmpty else { return }
    throw LyricsError(file: resume, "a resumed run keeps the plan stored in its checkpoint; \(given.joined(separator: ", ")) cannot be given with --resume (only --epochs, --minutes, --steps extend it)")
}

/// The one resume path of `char train --resume` and `word train --resume`: the run stored in
/// `path` continues with its own corpus, split and threads (recorded in its checkpoint as
/// `TrainingInputs`), and a budget flag given now extends its plan. `trainer` rebuilds the
/// model's trainer from the stored run's texts, passing `extend` on to the checkpoint's plan.
func resumedRun<Model>(_ path: String, file: SafeTensors.File, plan: PlanOptions,
                       trainer make: (_ inputs: TrainingInputs, _ texts: CharTexts,
                                      _ extend: (inout SequenceTrainingOptions) -> Void) throws -> SequenceTrainer<Model>)
    throws -> SequenceTrainer<Model> {
    guard let inputs = try SequenceCheckpoint.inputs(file) else {
        throw LyricsError(file: path, "records no corpus (written by an older version); it cannot be resumed")
    }
    BLAS.setThreads(inputs.threads)
    let texts = try CharCorpusOptions.trainingTexts(of: inputs)
    var notes = [String]()
    let trainer = try make(inputs, texts) { notes = plan.extendBudget(&$0) }
    // A finished run given a larger budget is no longer finished.
    if !notes.isEmpty, trainer.state.stopReason == "finished" { trainer.state.stopReason = nil }
    plan.say("resuming \(path) at step \(trainer.state.step) (epoch \(trainer.state.epoch)) on \(inputs.corpus), \(inputs.threads) thread(s)"
             + (notes.isEmpty ? "" : "; budget extended: " + notes.joined(separator: ", ")))
    return trainer
}
