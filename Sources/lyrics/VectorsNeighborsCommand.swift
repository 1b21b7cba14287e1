import ArgumentParser
import Foundation
import LyricsCore
import WordVectors

/// `lyrics vectors neighbors WORD...`: nearest words by cosine over the whole vocabulary.
struct VectorsNeighborsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbors",
        abstract: "Nearest words by cosine similarity."
    )

    @OptionGroup var file: VectorsFileOptions
    @OptionGroup var output: JSONOutputOptions
    @Option(name: .short, help: "Neighbours per word.") var n = 10
    @Argument(help: "Query words.") var words: [String]

    func validate() throws {
        guard n >= 1 else { throw ValidationError("-n: must be at least 1") }
        guard !words.isEmpty else { throw ValidationError("give at least one word") }
    }

    struct Entry: Codable { var word: String; var neighbors: [ScoredWord]? }

    func run() throws {
        let e = try file.load()
        let query = words.map { $0.lowercased() }
        let limit = file.restrictVocab
        let results = e.neighbors(of: query, n: n, restrictVocab: limit)
        let entries = zip(query, results).map { w, r in Entry(word: w, neighbors: r?.map { ScoredWord(word: $0.word, cosine: $0.cosine) }) }
        if output.json { return try output.emit(entries) }
        for entry in entries {
            guard let list = entry.neighbors else { print("\(entry.word): not in vocabulary"); continue }
            print("\(entry.word):")
            for s in list { print("  " + pad(s.word, 20) + String(format: " %.4f", s.cosine)) }
        }
        if entries.allSatisfy({ $0.neighbors == nil }) { throw ExitCode(1) }
    }
}
