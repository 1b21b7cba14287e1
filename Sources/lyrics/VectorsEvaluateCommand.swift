import ArgumentParser
import Foundation
import LyricsCore
import WordVectors

/// `lyrics vectors evaluate`: Google analogies (per section and total, with coverage) and
/// Spearman correlation on word-pair similarity sets, the same way for any word2vec file and with
/// the same figures as gensim's `evaluate_word_analogies(restrict_vocab=30000)` and
/// `evaluate_word_pairs()` (see `Evaluation`).
struct VectorsEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Analogy accuracy and word-similarity Spearman correlation (gensim's conventions)."
    )

    @OptionGroup var file: VectorsFileOptions
    @OptionGroup var output: JSONOutputOptions
    static let bundledAnalogies = "corpora/word-eval/questions-words.txt"
    static let bundledPairs = ["corpora/word-eval/wordsim353.tsv", "corpora/word-eval/simlex999.txt", "corpora/word-eval/men.txt"]

    @Option(help: "Analogy questions (': section' headers, 'a b c d' lines; default: the bundled Google set).")
    var analogies: String?
    @Option(help: "Word-pair similarity files (repeatable; 'word1<tab>word2<tab>score' or space-separated lines; default: the bundled WordSim-353, SimLex-999 and MEN).")
    var pairs: [String] = []
    @Option(help: "Word pairs count a word as known only among the N most frequent (default 300000, gensim's evaluate_word_pairs: every word of most vocabularies). --restrict-vocab is the analogies' cut-off.")
    var pairsRestrictVocab: Int?
    @Flag(help: "Skip the analogy test.") var noAnalogies = false

    struct Report: Codable { var vectors: String; var analogies: AnalogyResult?; var pairs: [PairResult] }

    func validate() throws {
        if let r = pairsRestrictVocab, r < 1 { throw ValidationError("--pairs-restrict-vocab: must be at least 1") }
    }

    func run() throws {
        let e = try file.load()
        let analogyCutoff = file.restrictVocab ?? Evaluation.defaultRestrictVocab
        let pairCutoff = pairsRestrictVocab ?? Evaluation.defaultPairRestrictVocab
        let analogyFile = analogies ?? BundledData.path(Self.bundledAnalogies)
        let pairFiles = pairs.isEmpty ? Self.bundledPairs.map(BundledData.path) : pairs
        let analogy = noAnalogies ? nil : try Evaluation.analogies(e, file: analogyFile, restrictVocab: analogyCutoff)
        let pairResults = try pairFiles.map { try Evaluation.pairs(e, file: $0, restrictVocab: pairCutoff) }
        if output.json { return try output.emit(Report(vectors: file.path, analogies: analogy, pairs: pairResults)) }
        print("\(file.path): \(e.count) words × \(e.dimensions); words matched ignoring case")
        if let analogy {
            print("analogies: candidates and questions' words among the \(analogy.restrictVocab) most frequent words (cut-off \(analogyCutoff))")
            print(pad("analogy section", 28) + "  accuracy  answered   skipped")
            for s in analogy.sections + [analogy.total] {
                print(pad(s.name, 28) + String(format: " %8.2f%% %9d %9d", s.accuracy * 100, s.correct + s.incorrect, s.skipped))
            }
            print(String(format: "analogy coverage %.1f%% (%d of %d questions answered)", analogy.total.coverage * 100,
                         analogy.total.correct + analogy.total.incorrect, analogy.total.total))
        }
        if !pairResults.isEmpty {
            print("word pairs: words among the \(min(pairCutoff, e.count)) most frequent (cut-off \(pairCutoff)); pairs with an unknown word skipped")
        }
        for p in pairResults {
            print(String(format: "%@: Spearman %.4f (Pearson %.4f) on %d of %d pairs (coverage %.1f%%)",
                         p.file, p.spearman, p.pearson, p.used, p.pairs, p.coverage * 100))
        }
    }
}

/// Left-aligns `s` in a column of `width` characters (Foundation's %-20@ does not pad on Linux).
func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
