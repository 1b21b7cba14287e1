import ArgumentParser
import Foundation
import LyricsCore
import Songwriting

/// `lyrics check`: which lines of a text copy the training corpus, exactly or in runs of at
/// least --min-run words, each with the training line it comes from. The corpus's index is
/// built once and cached under --cache, named from the corpus file's fingerprint.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Flag lines that copy the training corpus (exact lines and long shared runs).",
        discussion: """
        Examples:
          lyrics word generate --model m.safetensors --lines 20 > song.txt
          lyrics check --corpus corpora/verse-2m.txt song.txt
          lyrics check --corpus full.txt.gz --min-run 8 --json - < song.txt
        """
    )

    @Option(name: .long, help: "Training text the lines are checked against (.gz is decompressed).") var corpus: String
    @Option(name: .customLong("min-run"), help: "Shortest shared run of words to flag (at least 3).")
    var minRun: Int = OriginalityIndex.defaultMinRun
    @Option(name: .long, help: "Folder for the corpus index (default $XDG_CACHE_HOME/lyrics or ~/.cache/lyrics).")
    var cache: String?
    @OptionGroup var output: JSONOutputOptions
    @Flag(name: .long, help: "No progress output.") var quiet = false
    @Argument(help: "Text to check, one line per line ('-' reads standard input).") var text: String

    func validate() throws {
        guard minRun >= OriginalityIndex.gram else { throw ValidationError("--min-run: must be at least \(OriginalityIndex.gram)") }
    }

    struct Output: Codable {
        var corpus: String
        var summary: OriginalitySummary
        var lines: [LineReport]
    }

    func run() throws {
        do {
            let lines = try readLines()
            let progress = ProgressReporter(label: "index", total: 2, unit: "stage", enabled: !quiet)
            let started = Date()
            let (index, built) = try OriginalityIndex.cached(corpus: corpus, cacheDirectory: cache ?? OriginalityIndex.defaultCacheDirectory,
                                                             progress: progress)
            if !quiet {
                let what = built ? "built and cached" : "loaded"
                note(String(format: "index of %@ %@ in %.2f s: %d lines, %d words", corpus, what, Date().timeIntervalSince(started),
                            index.lineCount, index.wordCount))
            }
            let checkStart = Date()
            let reports = index.check(lines: lines, minRun: minRun)
            if !quiet { note(String(format: "checked %d lines in %.1f ms", reports.count, Date().timeIntervalSince(checkStart) * 1000)) }
            let summary = OriginalitySummary(reports, minRun: minRun)
            if output.json { return try output.emit(Output(corpus: corpus, summary: summary, lines: reports)) }
            for r in reports where r.isFlagged {
                print("line \(r.lineNumber): \(r.line)")
                if let e = r.exactCopy { print("  exact copy of training line \(e.line)") }
                for run in r.runs where r.exactCopy == nil || run.length < r.line.split(separator: " ").count {
                    print("  \(run.length) words \"\(run.words)\" from training line \(run.source.line): \(run.source.text)")
                }
            }
            print(String(format: "%d lines: %d exact training lines (%.1f%%), %d with runs of %d+ words, longest shared run %d words",
                         summary.lines, summary.exactCopies, summary.exactShare * 100, summary.linesWithRuns, minRun, summary.longestRun))
        }
    }

    /// The raw lines of the text (validated as UTF-8; each is normalised when checked).
    private func readLines() throws -> [String] {
        let data: Data
        if text == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else { data = try InputFile.read(text) }
        _ = try TextNormalizer.normalize(data: data, file: text == "-" ? "<stdin>" : text)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.contains(where: { !TextNormalizer.normalize($0).isEmpty }) else {
            throw LyricsError(file: text == "-" ? "<stdin>" : text, "no words to check")
        }
        return lines
    }
}
