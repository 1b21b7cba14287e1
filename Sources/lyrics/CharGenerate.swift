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

    func run() throws { try generation.write { try CharTokenModel(checkpoint: model) } }
}
