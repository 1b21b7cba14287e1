import ArgumentParser
import Foundation
import LyricsCore
import CharModel
import Evaluation
import NeuralNet

struct CharEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Bits per character and character perplexity of a model on a text (default: the test split)."
    )

    @OptionGroup var data: CharCorpusOptions
    @Option(name: .long, help: "Model checkpoint.") var model: String
    @OptionGroup var evaluation: EvaluationOptions

    func run() throws {
        do {
            data.applyThreads()
            let loaded = try CharCheckpoint.load(model)
            let part = evaluation.part
            let text = try data.text(of: part, in: data.load())
            let m = try CharCheckpoint.model(loaded, batch: evaluation.batch, maxSteps: CharModel.scoringSteps)
            // Scored as `lyrics compare` scores it (and printed in the same JSON shape as `word evaluate`).
            let (s, skipped) = Comparison.score(char: m, text: text, name: model)
            if skipped > 0 { note("note: \(skipped) characters outside the model's vocabulary were charged 8 bits each") }
            if evaluation.json {
                try JSONOutputOptions().emit(s)
            } else {
                print(String(format: "%@ (%@, %d characters): %.4f bits per character, perplexity %.3f",
                             data.corpus, part.rawValue, s.characters, s.bitsPerCharacter, s.characterPerplexity))
            }
        }
    }
}
