import ArgumentParser
import Foundation
import Generation
import LyricsCore

/// The flags every writing command shares (`generate`, `char generate`, `word generate`):
/// what to continue, when to stop, how to sample and the random seed. `--prompt` is text,
/// `--seed` is the random seed, everywhere.
struct GenerationOptions: ParsableArguments {
    @Option(name: .long, help: "Text to continue (normalised; may hold several lines).") var prompt: String?
    @Option(name: .customLong("prompt-file"), help: "Read the prompt from this UTF-8 file (several lines welcome).") var promptFile: String?

    @Option(name: .long, help: "Stop after this many lines (default 8 when no other limit is given).") var lines: Int?
    @Option(name: .long, help: "Stop after this many words.") var words: Int?
    @Option(name: .long, help: "Stop after this many characters.") var characters: Int?
    @Option(name: .customLong("max-tokens"), help: "Stop after this many tokens (characters for char models, words and line breaks for word models).")
    var maxTokens: Int?
    @Option(name: .customLong("stop-word"), help: "Stop right after writing this word (repeatable).") var stopWords: [String] = []

    @Option(name: .long, help: "Sampling temperature (0 = always the most likely token).") var temperature: Float = 0.8
    @Option(name: .customLong("top-k"), help: "Sample only among the k best-scored tokens (default: all for char models and the prior rule, 10 for the cosine rule).")
    var topK: Int?
    @Option(name: .customLong("top-p"), help: "Nucleus sampling: the fewest best tokens whose probability reaches p, in (0, 1].") var topP: Float = 1
    @Option(name: .customLong("repetition-penalty"), help: "Penalty (>= 1) for tokens among the last --penalty-window (1 = off).")
    var repetitionPenalty: Float = 1
    @Option(name: .customLong("penalty-window"), help: "Tokens the repetition penalty looks back over.") var penaltyWindow: Int = 64
    @Option(name: .long, help: "Random seed (default: a fresh one, printed on stderr).") var seed: UInt64?

    func validate() throws {
        if prompt != nil && promptFile != nil { throw ValidationError("give --prompt or --prompt-file, not both") }
        if let p = stop.problem(), !p.hasPrefix("give") { throw ValidationError("--" + p) }
        if let p = sampling(defaultTopK: nil).problem() { throw ValidationError("--" + p) }
    }

    var stop: StopConditions {
        let none = lines == nil && words == nil && characters == nil && maxTokens == nil
        return StopConditions(maxTokens: maxTokens, words: words, lines: none ? 8 : lines, characters: characters, stopWords: stopWords)
    }

    func sampling(defaultTopK: Int?) -> SamplingSettings {
        SamplingSettings(temperature: temperature, topK: topK ?? defaultTopK, topP: topP, repetitionPenalty: repetitionPenalty,
                         penaltyWindow: penaltyWindow)
    }

    /// The prompt text: `--prompt`, or the file's contents (missing or not UTF-8: an error naming it).
    func promptText() throws -> String {
        if let promptFile {
            let data = try InputFile.read(promptFile)
            guard let s = String(data: data, encoding: .utf8) else { throw LyricsError(file: promptFile, "is not UTF-8 text") }
            return s
        }
        return prompt ?? ""
    }

    /// The request, with a fresh seed (printed on stderr) when none was given.
    func request(defaultTopK: Int?) throws -> GenerationRequest {
        let used = seed ?? UInt64.random(in: 0...UInt64.max)
        if seed == nil { note("seed \(used) (repeat with --seed \(used))") }
        return GenerationRequest(prompt: try promptText(), stop: stop, sampling: sampling(defaultTopK: defaultTopK), seed: used)
    }

    /// Writes with `model` and prints the text (prompt included).
    func write(with model: TokenModel) throws {
        if let k = topK, k > model.tokens.count { note("note: top-k \(k) is larger than the vocabulary (\(model.tokens.count)); using all") }
        let r = try Generator.generate(model, request(defaultTopK: model.defaultTopK))
        print(r.text.hasSuffix("\n") ? String(r.text.dropLast()) : r.text)
    }
}
