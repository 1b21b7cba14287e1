import ArgumentParser
import Foundation
import LyricsCore
import Models
import NeuralNet
import WordModel

/// `lyrics generate`: write with a shipped model (no training needed) or any checkpoint.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write lyrics with the shipped word model (default), the shipped char model, or any checkpoint.",
        discussion: """
        Examples:
          lyrics generate --lines 8
          lyrics generate --model char --prompt "the night is" --temperature 0.7
          lyrics generate --model runs/word-vmf.safetensors --top-p 0.9 --seed 7
        With no flag giving the form (--rhyme, --syllables, --meter, --structure) and only --lines, it writes iambic tetrameter rhymed ABAB, the setting blind \
        readers rated best (docs/ratings.md); --free samples plainly, token by token.
        The random seed is printed on stderr so a result can be repeated with --seed.
        """
    )

    @Option(name: .long, help: "word or char (the shipped models in models/) or a checkpoint path.") var model: String = "word"
    @Option(name: .customLong("vectors"), help: "Word models: vectors (default: the file the model names).") var vectors: String?
    @Option(name: .long, help: "Word models: retrieval rule, cosine or prior (default: the model's).") var retrieval: Retrieval?
    @OptionGroup var generation: GenerationOptions

    func run() throws {
        let path = ModelLoader.resolve(model)
        guard FileManager.default.fileExists(atPath: path) else {
            throw LyricsError(file: path, ModelLoader.shipped[model] != nil
                ? "the shipped \(model) model is missing (see README: Installing); or give --model PATH"
                : "no such file")
        }
        try generation.write(ratedDefault: true) { try ModelLoader.load(path, vectors: vectors, retrieval: retrieval, precision: generation.precision.precision) }
    }
}
