import ArgumentParser
import Foundation
import LyricsCore
import WordModel

extension SpellerKind: ExpressibleByArgument {}
extension SpellerSmoothing: ExpressibleByArgument {}
extension SpellerFit: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// The n-gram speller's flags (`lyrics compare`, `lyrics word evaluate`): it is fitted on the
/// corpus's training split for each vocabulary at scoring time.
struct NGramSpellerOptions: ParsableArguments {
    @Option(name: .customLong("speller-order"), help: "N-gram speller: symbols of context + 1 (1-10).")
    var order: Int = 6
    @Option(name: .customLong("speller-smoothing"), help: "N-gram speller smoothing: kn (interpolated Kneser-Ney) or wb (Witten-Bell).")
    var smoothing: SpellerSmoothing = .kneserNey
    @Option(name: .customLong("speller-fit"),
            help: "Training-split words the n-gram speller is fitted on: unknown (tokens outside the model's vocabulary), rare:N (tokens of words seen at most N times) or types (each distinct word once, the default).")
    var fit: SpellerFit = .types

    func validate() throws {
        guard (1...10).contains(order) else { throw ValidationError("--speller-order: must be in 1...10") }
    }

    var config: NGramSpellerConfig { NGramSpellerConfig(order: order, smoothing: smoothing, fit: fit) }

    /// Fits the speller for `table`'s vocabulary on the training text.
    func speller(trainingText: String, table: VectorTable) throws -> NGramSpeller {
        let s = try config.fit(trainingText: trainingText, vocabulary: table.words)
        note(String(format: "n-gram speller (order %d, %@, fitted on %d training words: %@): %.4f of its mass is left to out-of-vocabulary spellings",
                    order, smoothing.rawValue, s.fittedWords, fit.description, Foundation.exp2(s.log2OutOfVocabularyMass)))
        return s
    }
}
