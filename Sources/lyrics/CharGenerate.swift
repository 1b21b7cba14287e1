import ArgumentParser
import CharModel
import Foundation
import LyricsCore

struct CharGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write lyrics with a character model, continuing a prompt.",
        discussion: "The random seed is printed on stderr so a result can be repeated with --seed."
    )

    @Option(name: .long, help: "Model checkpoint.") var model: String
    @OptionGroup var generation: GenerationOptions
    @Option(name: .long, help: "BLAS threads.") var threads: Int = 1

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads: must be at least 1") }
    }

    func run() throws {
        BLAS.setThreads(threads)
        try generation.write(with: CharTokenModel(checkpoint: model))
    }
}
