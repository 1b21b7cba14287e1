import ArgumentParser
import Foundation
import LyricsCore
import CharModel
import NeuralNet

struct CharGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write text with a character model, primed with seed text.",
        discussion: "The random seed is printed on stderr so a result can be repeated with --seed."
    )

    @Option(name: .long, help: "Model checkpoint.") var model: String
    @Option(name: .long, help: "Text to prime the model with (normalised).") var prime: String = ""
    @Option(name: .long, help: "Characters to generate.") var length: Int = 500
    @Option(name: .long, help: "Sampling temperature (0 = always the most likely character).") var temperature: Float = 0.8
    @Option(name: .customLong("top-k"), help: "Sample only among the k most likely characters.") var topK: Int?
    @Option(name: .long, help: "Random seed (default: a fresh one, printed).") var seed: UInt64?
    @Option(name: .long, help: "BLAS threads.") var threads: Int = 1

    func validate() throws {
        guard length >= 0 else { throw ValidationError("--length must not be negative") }
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature must be 0 or positive") }
        if let k = topK, k < 1 { throw ValidationError("--top-k must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        do {
            BLAS.setThreads(threads)
            let loaded = try CharCheckpoint.load(model)
            let m = try CharCheckpoint.model(loaded, batch: 1, maxSteps: 1)
            let used = seed ?? UInt64.random(in: 0...UInt64.max)
            FileHandle.standardError.write(Data("seed \(used) (repeat with --seed \(used))\n".utf8))
            var rng = SeededRandom(seed: used)
            let primeText = TextNormalizer.normalize(prime).trimmingCharacters(in: .newlines)
            let text = CharGenerator(model: m).generate(prime: primeText, length: length, temperature: temperature, topK: topK, rng: &rng)
            print(primeText + text)
        }
    }
}
