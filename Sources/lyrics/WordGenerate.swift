import ArgumentParser
import Foundation
import LyricsCore
import WordModel

extension Retrieval: ExpressibleByArgument {}

struct WordGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write lyrics with a word model, continuing a prompt.",
        discussion: """
        Scores every word by the model's retrieval rule (--retrieval cosine: the notebook's kappa·cos, for vMF models the \
        trained softmax; --retrieval prior: plus a fitted unigram log-prior, the default for cosine models) and samples \
        among the best (--top-k, default 10 for the cosine rule, all words for the prior rule). A prompt with no known word is an error; unknown words in it are read as <unk>. \
        The random seed is printed on stderr so a result can be repeated with --seed.
        """
    )

    @Option(name: .long, help: "Word model checkpoint.") var model: String
    @Option(name: .customLong("vectors"), help: "Word vectors (default: the file the model was trained with).") var vectors: String?
    @Option(name: .long, help: "Retrieval rule: cosine or prior (default: prior for cosine models that have one, else cosine).")
    var retrieval: Retrieval?
    @OptionGroup var generation: GenerationOptions

    func run() throws { try generation.write { try WordTokenModel(checkpoint: model, vectors: vectors, retrieval: retrieval) } }
}
