import ArgumentParser
import Foundation
import LyricsCore
import Evaluation
import WordModel

struct WordEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Bits per character, perplexities and top-10 hit rate of a word model (default: the test split).",
        discussion: "Out-of-vocabulary words pay the <unk> probability plus their spelling under a character unigram model fitted on training-split words; see README, 'Word model and comparison'."
    )

    @OptionGroup var data: CharCorpusOptions
    @Option(name: .long, help: "Word model checkpoint.") var model: String
    @Option(name: .customLong("vectors"), help: "Word vectors (default: the file the model was trained with).") var vectors: String?
    @OptionGroup var evaluation: EvaluationOptions

    func run() throws {
        do {
            data.applyThreads()
            let loaded = try WordCheckpoint.load(model)
            let table = try VectorTable.load(vectors ?? loaded.vectorsPath)
            let m = try WordCheckpoint.model(loaded, table: table, batch: evaluation.batch, maxSteps: 35)
            let corpus = try data.load()
            let part = evaluation.part
            let text = try data.text(of: part, in: corpus)
            let held = HeldOutText(normalized: text, table: table, spelling: WordTexts(corpus: corpus).spelling)
            let s = Comparison.score(word: m, text: held, name: model)
            if evaluation.json {
                try JSONOutputOptions().emit(s)
            } else {
                print(String(format: "%@ (%@, %d characters, %d words, %d unknown): %.4f bits per character, character perplexity %.3f, word perplexity %.1f, top-10 hit rate %.1f%%",
                             data.corpus, part.rawValue, s.characters, s.wordTokens, s.unknownTokens ?? 0, s.bitsPerCharacter,
                             s.characterPerplexity, s.wordPerplexity, 100 * (s.top10HitRate ?? 0)))
            }
        }
    }
}
