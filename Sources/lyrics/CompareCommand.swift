import ArgumentParser
import Foundation
import LyricsCore
import Evaluation
import CharModel
import NeuralNet
import WordModel

/// `lyrics compare`: the char model and word models scored on the same normalised held-out
/// text with one accounting (README, "Word model and comparison"), plus the exported report.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Score char and word models on the same held-out text (bits/char, perplexities, top-10 hits) and write a report.",
        discussion: "Writes <report-dir>/<name>.md, .ipynb and SVG figures unless --no-report; --json prints the table as JSON."
    )

    @OptionGroup var data: CharCorpusOptions
    @Option(name: .customLong("char"), help: "Char model checkpoint (lyrics char train).") var charModel: String?
    @Option(name: .customLong("word"), help: "Word model checkpoint (repeatable).") var wordModels: [String] = []
    @Option(name: .long, help: "Part of the corpus split to score: train, valid, test or all.") var part: CorpusSplit.Part = .test
    @Option(name: .long, help: "Streams scored in parallel.") var batch: Int = 16
    @OptionGroup var ngram: NGramSpellerOptions
    @OptionGroup var quality: CompareQualityOptions
    @Flag(name: .long, help: "Print the table as JSON on stdout.") var json = false
    @Option(name: .customLong("json-out"), help: "Also write the table as JSON to this file.") var jsonOut: String?
    @Option(name: .customLong("report-dir"), help: "Directory for the report.") var reportDir: String = "notebooks-exported"
    @Option(name: .customLong("report-name"), help: "Base file name of the report.") var reportName: String = "comparison"
    @Flag(name: .customLong("no-report"), help: "Only print the table.") var noReport = false
    @Flag(name: .customLong("refit-kappa"), help: "Refit cosine models' kappa on the corpus's validation split before scoring.") var refitKappa = false
    @Option(name: .customLong("sample-lines"), help: "Lines of sample lyrics per word model in the report.") var sampleLines: Int = 8
    @Option(name: .long, help: "Random seed for the report's samples.") var seed: UInt64 = 7
    @Option(name: .customLong("pca-words"), help: "Comma-separated words for the PCA figure.")
    var pcaWords: String = ComparisonReport.defaultPCAWords

    func validate() throws {
        guard charModel != nil || !wordModels.isEmpty else { throw ValidationError("give --char and/or --word models to compare") }
        guard batch >= 1 else { throw ValidationError("--batch: must be at least 1") }
        guard sampleLines >= 0 else { throw ValidationError("--sample-lines: must not be negative") }
        guard quality.qualityLines == 0 || quality.qualityLines >= sampleLines else {
            throw ValidationError("--quality-lines: must be 0 or at least --sample-lines (the report shows the first lines of the quality samples)")
        }
    }

    func run() throws { try compare() }

    private func compare() throws {
        data.applyThreads()
        let corpus = try data.load()
        let text = try data.text(of: part, in: corpus)
        let texts = WordTexts(corpus: corpus)
        var scores = [ModelScore]()
        var entries = [ReportEntry]()
        if let charModel {
            let loaded = try CharCheckpoint.load(charModel)
            let m = try CharCheckpoint.model(loaded, batch: batch, maxSteps: CharModel.scoringSteps)
            let (s, skipped) = Comparison.score(char: m, text: text, name: charModel)
            if skipped > 0 { note("note: \(skipped) characters outside the char model's vocabulary were charged 8 bits each") }
            scores.append(s)
            entries.append(.char(path: charModel, loaded: loaded))
        }
        var tables = [String: VectorTable]()
        var spellers = [String: NGramSpeller]()
        for path in wordModels {
            let loaded = try WordCheckpoint.load(path)
            let table = try tables[loaded.vectorsPath] ?? VectorTable.load(loaded.vectorsPath)
            tables[loaded.vectorsPath] = table
            let m = try WordCheckpoint.model(loaded, table: table, batch: batch, maxSteps: WordModel.scoringSteps)
            if refitKappa, m.config.loss == .cosine {
                let valid = texts.valid
                note(String(format: "%@: kappa refitted on the validation split: %.4f", path, m.fitKappa(table.encode(valid), start: 10)))
            }
            // Both spellers: the character unigram and the n-gram speller fitted for this vocabulary.
            let speller = try spellers[loaded.vectorsPath] ?? ngram.speller(trainingText: texts.train, table: table)
            spellers[loaded.vectorsPath] = speller
            let held = HeldOutText(normalized: text, table: table, spelling: texts.spelling)
            var rows = Comparison.score(word: m, text: held, name: path, spellers: [texts.spelling, speller])
            let rules = Comparison.retrieval(word: m, text: held, trainIDs: table.encode(texts.train), spellers: [texts.spelling, speller])
            for i in rows.indices { rows[i].retrieval = rules[i] }
            scores += rows
            entries.append(.word(path: path, loaded: loaded, table: table))
        }
        var samples: [ModelSamples]?
        if quality.qualityLines > 0 {
            note("writing \(quality.qualityLines) sample lines per model, temperature and rule")
            let written = try entries.map { try SampleWriting.samples(of: $0, lines: quality.qualityLines, seed: seed) }
            let index = try quality.trainingIndex(trainText: texts.train, corpus: data.corpus)
            let judgeBatch = try quality.judge.map { try CharCheckpoint.model(CharCheckpoint.load($0), batch: batch, maxSteps: CharModel.scoringSteps) }
            let measured = quality.measure(written, heldOut: (try? data.text(of: .test, in: corpus)) ?? text, judge: try quality.loadJudge(),
                                           judgeBatch: judgeBatch, index: index)
            for i in scores.indices { scores[i].samples = measured[scores[i].name] }
            samples = written
        }
        if let jsonOut {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(enc.encode(scores), to: jsonOut)
        }
        if json {
            try JSONOutputOptions().emit(scores)
        } else {
            print(ComparisonReport.textTable(scores))
            if scores.contains(where: { $0.inVocabularyBitsPerCharacter != nil }) { print("\n" + ComparisonReport.breakdownTextTable(scores)) }
            if scores.contains(where: { $0.retrieval != nil }) { print("\n" + ComparisonReport.retrievalTextTable(scores)) }
            if scores.contains(where: { $0.samples != nil }) { print("\n" + ComparisonReport.qualityTextTable(scores)) }
        }
        if !noReport {
            let command = "lyrics " + CommandLine.arguments.dropFirst().joined(separator: " ")
            let report = try ComparisonReport.build(scores: scores, entries: entries, corpus: data.corpus, part: part.rawValue,
                                                    command: command, sampleLines: sampleLines, seed: seed,
                                                    pcaWords: pcaWords.split(separator: ",").map { String($0) }, samples: samples)
            let written = try report.export(to: reportDir, name: reportName)
            note("report: " + written.joined(separator: ", "))
        }
    }
}
