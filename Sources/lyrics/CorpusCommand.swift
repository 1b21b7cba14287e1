import ArgumentParser
import Foundation
import LyricsCore

/// `lyrics corpus`: the normalised text of one part of a corpus's fixed split, so scripts and
/// users never re-implement the normaliser or the 50-line-block rule.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Print (or write) the normalised text of one part of a corpus's split.",
        discussion: """
        Examples:
          lyrics corpus --corpus full.txt.gz --part test --every-block 5 --output corpora/broad-test.txt
          lyrics corpus --corpus full.txt.gz --part train --hold-out corpora/verse-2m.txt --output train.txt
        """
    )

    @Option(name: .long, help: "Text file to read (normalised on the fly; .gz is decompressed).")
    var corpus: String
    @Option(name: .long, help: "Part of the split: train, valid, test or all.") var part: CorpusSplit.Part = .all
    @Option(name: .customLong("every-block"), help: "Keep every N-th 50-line block of the part (1 = all of it).")
    var everyBlock: Int = 1
    @Option(name: .customLong("hold-out"), help: "Drop lines that occur in this corpus's valid or test part (repeatable).")
    var holdOut: [String] = []
    @Option(name: .long, help: "File to write (atomically); default: standard output.") var output: String?

    func validate() throws {
        guard everyBlock >= 1 else { throw ValidationError("--every-block: must be at least 1") }
    }

    func run() throws {
        do {
            let loaded = try Corpus(path: corpus)
            var text = CorpusSplit.part(part, of: loaded.text, everyNthBlock: everyBlock)
            if !holdOut.isEmpty {
                var lines = Set<Substring>()
                for path in holdOut { lines.formUnion(try Corpus(path: path).split.heldOutLines) }
                var split = CorpusSplit(train: text)
                let dropped = split.removeTrainingLines(occurringIn: lines)
                text = split.train
                note("dropped \(dropped) lines that occur in the held-out parts of \(holdOut.joined(separator: ", "))")
            }
            guard !text.isEmpty else { throw LyricsError(file: corpus, "the \(part.rawValue) part is empty") }
            if let output {
                try AtomicFile.write(Data(text.utf8), to: output)
                let lines = text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                note("wrote \(output): \(lines) lines, \(text.utf8.count) characters")
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
