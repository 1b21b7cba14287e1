import ArgumentParser
import Foundation
import LyricsCore
import Evaluation
import WordModel

struct WordEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Bits per character, perplexities and top-10 hit rate of a word model (default: the test split).",
        discussion: "Out-of-vocabulary words pay the <unk> probability plus their spelling under a speller fitted on the training split (--speller ngram, the default: a character n-gram model of the training split's words with in-vocabulary spellings excluded; unigram: a character unigram of all training words); see README, 'How the comparison counts bits'."
    )

    @OptionGroup var data: CharCorpusOptions
    @Option(name: .long, help: "Word model checkpoint.") var model: String
    @Option(name: .customLong("vectors"), help: "Word vectors (default: the file the model was trained with).") var vectors: String?
    @OptionGroup var evaluation: EvaluationOptions
    @Option(name: .long, help: "Speller for out-of-vocabulary words: ngram or unigram.") var speller: SpellerKind = .ngram
    @OptionGroup var ngram: NGramSpellerOptions
    @Option(name: .customLong("speller-text"), help: "Text the spellers are fitted on: the model's training text (default: the --corpus's train split; give it when scoring a separate test file with --part all).")
    var spellerText: String?

    func run() throws {
        do {
            data.applyThreads()
            let loaded = try WordCheckpoint.load(model)
            let table = try VectorTable.load(vectors ?? loaded.vectorsPath)
            let m = try WordCheckpoint.model(loaded, table: table, batch: evaluation.batch, maxSteps: WordModel.scoringSteps)
            let corpus = try data.load()
            let part = evaluation.part
            let text = try data.text(of: part, in: corpus)
            let texts = spellerText != nil ? WordTexts(CharTexts(train: try Corpus(path: spellerText!).text, valid: "")) : WordTexts(corpus: corpus)
            let spelling: any WordSpeller = speller == .ngram ? try ngram.speller(trainingText: texts.train, table: table) : texts.spelling
            let held = HeldOutText(normalized: text, table: table, spelling: texts.spelling)
            let s = Comparison.score(word: m, text: held, name: model, spellers: [spelling])[0]
            if evaluation.json {
                try JSONOutputOptions().emit(s)
            } else {
                print(String(format: "%@ (%@, %d characters, %d words, %d unknown): %.4f bits per character, character perplexity %.3f, word perplexity %.1f, top-10 hit rate %.1f%%",
                             data.corpus, part.rawValue, s.characters, s.wordTokens, s.unknownTokens ?? 0, s.bitsPerCharacter,
                             s.characterPerplexity, s.wordPerplexity, 100 * (s.top10HitRate ?? 0)))
                print(String(format: "bits/char by part: in-vocabulary words %.4f, </s> %.4f, <unk> %.4f, spelling (%@ speller) %.4f",
                             s.inVocabularyBitsPerCharacter ?? 0, s.newlineBitsPerCharacter ?? 0, s.unknownBitsPerCharacter ?? 0,
                             speller.rawValue, s.spellingBitsPerCharacter ?? 0))
            }
        }
    }
}
