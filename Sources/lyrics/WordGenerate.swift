import ArgumentParser
import Foundation
import LyricsCore
import WordModel

struct WordGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write lyrics with a word model: sample among the k words nearest the predicted vector.",
        discussion: "The random seed is printed on stderr so a result can be repeated with --seed. An empty seed text starts at the beginning of a line; a seed whose words are all unknown is an error."
    )

    @Option(name: .long, help: "Word model checkpoint.") var model: String
    @Option(name: .customLong("vectors"), help: "Word vectors (default: the file the model was trained with).") var vectors: String?
    @Option(name: .customLong("seed-text"), help: "Text to continue (normalised).") var seedText: String = ""
    @Option(name: .long, help: "Words to write (newlines not counted).") var words: Int?
    @Option(name: .long, help: "Lines to write (default 8 when --words is not given).") var lines: Int?
    @Option(name: .long, help: "Sampling temperature (0 = always the nearest word).") var temperature: Float = 1
    @Option(name: .customLong("top-k"), help: "Candidates: the k words nearest the predicted vector.") var topK: Int = 10
    @Option(name: .long, help: "Random seed (default: a fresh one, printed).") var seed: UInt64?
    @Option(name: .long, help: "BLAS threads.") var threads: Int = 1

    func validate() throws {
        if words != nil && lines != nil { throw ValidationError("give --words or --lines, not both") }
        if let w = words, w < 0 { throw ValidationError("--words must not be negative") }
        if let l = lines, l < 0 { throw ValidationError("--lines must not be negative") }
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature must be 0 or positive") }
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        do {
            BLAS.setThreads(threads)
            let m = try LoadedWordModel(checkpoint: model, vectors: vectors)
            let used = seed ?? UInt64.random(in: 0...UInt64.max)
            note("seed \(used) (repeat with --seed \(used))")
            let length: GenerationRequest.Length = words.map { .words($0) } ?? .lines(lines ?? 8)
            let r = try m.generate(GenerationRequest(seedText: seedText, length: length, temperature: temperature,
                                                     topK: topK, seed: used))
            for n in r.notes { note("note: \(n)") }
            print(r.text.hasSuffix("\n") ? String(r.text.dropLast()) : r.text)
        }
    }
}
