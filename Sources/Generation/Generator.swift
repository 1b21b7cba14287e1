import Foundation
import LyricsCore

/// When to stop writing. Every limit that is set applies; the first reached ends the text.
/// Words and lines count what is written after the prompt (a line ends at each newline).
public struct StopConditions: Codable, Equatable, Sendable {
    public var maxTokens: Int?
    public var words: Int?
    public var lines: Int?
    public var characters: Int?
    /// Stop right after writing any of these words (word or char models alike).
    public var stopWords: [String] = []

    /// Lines written when nothing says how much: a text or a song without a structure, on the
    /// command line, in the API and in a blend alike.
    public static let defaultLines = 8

    public init(maxTokens: Int? = nil, words: Int? = nil, lines: Int? = nil, characters: Int? = nil, stopWords: [String] = []) {
        self.maxTokens = maxTokens
        self.words = words
        self.lines = lines
        self.characters = characters
        self.stopWords = stopWords
    }

    /// The first problem (a limit of 0 or less), named as on the command line.
    public func problem() -> String? {
        for (name, v) in [("max-tokens", maxTokens), ("words", words), ("lines", lines), ("characters", characters)] {
            if let v, v < 1 { return "\(name): must be at least 1" }
        }
        if maxTokens == nil, words == nil, lines == nil, characters == nil { return "give a length (words, lines, characters or max-tokens)" }
        return nil
    }
}

/// What to write: a prompt to continue, when to stop, how to sample, and the random seed.
public struct GenerationRequest: Codable, Equatable, Sendable {
    public var prompt: String
    public var stop: StopConditions
    public var sampling: SamplingSettings
    public var seed: UInt64

    public init(prompt: String = "", stop: StopConditions = StopConditions(lines: StopConditions.defaultLines), sampling: SamplingSettings = SamplingSettings(),
                seed: UInt64 = 1) {
        self.prompt = prompt
        self.stop = stop
        self.sampling = sampling
        self.seed = seed
    }
}

/// A written text.
public struct Generated: Sendable, Equatable {
    /// The normalised prompt followed by the generated text.
    public var text: String
    /// Only the generated part.
    public var generated: String
    /// Which limit ended it ("lines", "words", "characters", "max-tokens", "stop-word").
    public var stopReason: String
}

/// The one generation loop: reset the model, read the prompt (normalised; a prompt of several
/// lines is read line by line), then sample tokens until a stop condition holds. Every model and
/// every command (generate, serve, compare's samples) writes through it.
public enum Generator {
    /// A safety net for models that never reach a limit (e.g. never write a newline when lines
    /// are asked for): at most this many tokens per requested unit.
    static let tokensPerLineCap = 400, tokensPerWordCap = 40

    public static func generate(_ model: TokenModel, _ request: GenerationRequest) throws -> Generated {
        if let p = request.sampling.problem() { throw LyricsError(p) }
        if let p = request.stop.problem() { throw LyricsError(p) }
        let prompt = TextNormalizer.normalize(request.prompt).trimmingCharacters(in: .newlines)
        let promptIDs = model.encode(prompt)
        if model.kind == .word, !promptIDs.isEmpty, Set(promptIDs).isSubset(of: Set(model.forbiddenTokens)) {
            throw LyricsError("prompt: no word of it is in the model's vocabulary (\(model.tokens.count) words); use other words or an empty prompt")
        }
        model.reset()
        for id in promptIDs { model.observe(id) }
        var random = SeededRandom(seed: request.seed)
        var scratch = Sampler.Scratch()
        var logits = [Float](repeating: 0, count: model.tokens.count)
        var recent = promptIDs
        var out = ""
        var last: Character? = prompt.last ?? "\n"
        var tokens = 0, words = 0, lines = 0, characters = 0
        let stop = request.stop
        let cap = stop.maxTokens ?? [stop.lines.map { $0 * tokensPerLineCap }, stop.words.map { $0 * tokensPerWordCap },
                                     stop.characters].compactMap { $0 }.min() ?? 1000
        let stopWords = Set(stop.stopWords.map { TextNormalizer.normalize($0).trimmingCharacters(in: .whitespacesAndNewlines) })
        var word = ""
        var reason = "max-tokens"
        // Normalised text has no empty lines, so a line never ends before it has begun.
        let afterNewline = model.forbiddenTokens + [model.newlineToken]
        while tokens < cap {
            let next: Int32? = logits.withUnsafeMutableBufferPointer { buf in
                model.logits(into: buf)
                return Sampler.sample(buf, settings: request.sampling, recent: recent[...],
                                      excluding: last == "\n" ? afterNewline : model.forbiddenTokens, random: &random, scratch: &scratch)
            }
            guard let next else { reason = "no token left"; break }
            let spelled = model.tokens[Int(next)]
            let added = TokenText.spelling(spelled, kind: model.kind, after: last)
            // Word boundaries: every word token is a word; a char model's word ends at a space or newline.
            var finishedWord: String?
            if model.kind == .word {
                if spelled != "\n" { finishedWord = spelled }
            } else if spelled == " " || spelled == "\n" {
                if !word.isEmpty { finishedWord = word }
                word = ""
            } else {
                word += spelled
            }
            out += added
            last = added.last ?? last
            tokens += 1
            characters += added.count
            if finishedWord != nil { words += 1 }
            if spelled == "\n" { lines += 1 }
            recent.append(next)
            model.observe(next)
            if let l = stop.lines, lines >= l { reason = "lines"; break }
            if let w = stop.words, words >= w { reason = "words"; break }
            if let c = stop.characters, characters >= c { reason = "characters"; break }
            if let f = finishedWord, stopWords.contains(f) { reason = "stop-word"; break }
        }
        let generated = out.hasSuffix("\n") && stop.lines != nil ? String(out.dropLast()) : out
        var text = prompt
        if !prompt.isEmpty, model.kind == .word, let first = generated.first, first != "\n", first != " " { text += " " }
        text += generated
        return Generated(text: text, generated: generated, stopReason: reason)
    }
}
