import ArgumentParser
import Foundation
import LyricsCore
import CharModel
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
            let m = try CharCheckpoint.model(loaded, batch: evaluation.batch, maxSteps: 100)
            let (ids, skipped) = loaded.vocabulary.encode(text)
            if skipped > 0 {
                FileHandle.standardError.write(Data("note: \(skipped) characters outside the model's vocabulary were skipped\n".utf8))
            }
            let r = m.bitsPerCharacter(ids)
            let perplexity = Foundation.pow(2, r.bits)
            if evaluation.json {
                let obj: [String: Any] = ["model": model, "corpus": data.corpus, "part": part.rawValue,
                                          "characters": r.count, "bits_per_character": r.bits, "perplexity": perplexity]
                let d = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: d, as: UTF8.self))
            } else {
                print(String(format: "%@ (%@, %d characters): %.4f bits per character, perplexity %.3f",
                             data.corpus, part.rawValue, r.count, r.bits, perplexity))
            }
        }
    }
}
