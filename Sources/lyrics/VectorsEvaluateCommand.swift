import ArgumentParser
import Foundation
import LyricsCore
import WordVectors

/// `lyrics vectors evaluate`: Google analogies (per section and total, with coverage) and
/// Spearman correlation on word-pair similarity sets, the same way for any word2vec file.
struct VectorsEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Analogy accuracy and word-similarity Spearman correlation."
    )

    @OptionGroup var file: VectorsFileOptions
    @OptionGroup var output: JSONOutputOptions
    static let bundledAnalogies = "corpora/word-eval/questions-words.txt"
    static let bundledPairs = ["corpora/word-eval/wordsim353.tsv", "corpora/word-eval/simlex999.txt", "corpora/word-eval/men.txt"]

    @Option(help: "Analogy questions (': section' headers, 'a b c d' lines; default: the bundled Google set).")
    var analogies: String?
    @Option(help: "Word-pair similarity files (repeatable; default: the bundled WordSim-353, SimLex-999 and MEN).")
    var pairs: [String] = []
    @Flag(help: "Skip the analogy test.") var noAnalogies = false

    struct Report: Codable { var vectors: String; var analogies: AnalogyResult?; var pairs: [PairResult] }

    func run() throws {
        let e = try file.load()
        let restrictVocab = file.restrictVocab ?? Evaluation.defaultRestrictVocab
        let analogyFile = analogies ?? BundledData.path(Self.bundledAnalogies)
        let pairFiles = pairs.isEmpty ? Self.bundledPairs.map(BundledData.path) : pairs
        let analogy = noAnalogies ? nil : try Evaluation.analogies(e, file: analogyFile, restrictVocab: restrictVocab)
        let pairResults = try pairFiles.map { try Evaluation.pairs(e, file: $0, restrictVocab: restrictVocab) }
        if output.json { return try output.emit(Report(vectors: file.path, analogies: analogy, pairs: pairResults)) }
        print("\(file.path): \(e.count) words × \(e.dimensions), candidates restricted to the \(min(restrictVocab, e.count)) most frequent")
        if let analogy {
            print(pad("analogy section", 28) + "  accuracy  answered   skipped")
            for s in analogy.sections + [analogy.total] {
                print(pad(s.name, 28) + String(format: " %8.2f%% %9d %9d", s.accuracy * 100, s.correct + s.incorrect, s.skipped))
            }
            print(String(format: "analogy coverage %.1f%% (%d of %d questions answered)", analogy.total.coverage * 100,
                         analogy.total.correct + analogy.total.incorrect, analogy.total.total))
        }
        for p in pairResults {
            print(String(format: "%@: Spearman %.4f on %d of %d pairs (coverage %.1f%%)",
                         p.file, p.spearman, p.used, p.pairs, p.coverage * 100))
        }
    }
}

/// Left-aligns `s` in a column of `width` characters (Foundation's %-20@ does not pad on Linux).
func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
