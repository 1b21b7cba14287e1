import ArgumentParser
import Foundation
import Generation
import LyricsCore

/// The flags every writing command shares (`generate`, `char generate`, `word generate`):
/// what to continue, when to stop, how to sample and the random seed. `--prompt` is text,
/// `--seed` is the random seed, everywhere. Numeric options parse their next argument
/// unconditionally, so `--repetition-penalty -1` is refused as out of range instead of as a missing value.
struct GenerationOptions: ParsableArguments {
    @Option(name: .long, help: "Text to continue (normalised; may hold several lines).") var prompt: String?
    @Option(name: .customLong("prompt-file"), help: "Read the prompt from this UTF-8 file (several lines welcome).") var promptFile: String?

    @Option(name: .long, parsing: .unconditional, help: "Stop after this many lines (default 8 when no other limit is given).") var lines: Int?
    @Option(name: .long, parsing: .unconditional, help: "Stop after this many words.") var words: Int?
    @Option(name: .long, parsing: .unconditional, help: "Stop after this many characters.") var characters: Int?
    @Option(name: .customLong("max-tokens"), parsing: .unconditional, help: "Stop after this many tokens (characters for char models, words and line breaks for word models).")
    var maxTokens: Int?
    @Option(name: .customLong("stop-word"), help: "Stop right after writing this word (repeatable).") var stopWords: [String] = []

    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature (0 = always the most likely token).") var temperature: Float = 0.8
    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Sample only among the k best-scored tokens (default: all for char models and the prior rule, 10 for the cosine rule).")
    var topK: Int?
    @Option(name: .customLong("top-p"), parsing: .unconditional, help: "Nucleus sampling: the fewest best tokens whose probability reaches p, in (0, 1].") var topP: Float = 1
    @Option(name: .customLong("repetition-penalty"), parsing: .unconditional, help: "Penalty (>= 1) for tokens among the last --penalty-window (1 = off).")
    var repetitionPenalty: Float = 1
    @Option(name: .customLong("penalty-window"), parsing: .unconditional, help: "Tokens the repetition penalty looks back over.") var penaltyWindow: Int = 64
    @Option(name: .long, help: "Random seed (default: a fresh one, printed on stderr).") var seed: UInt64?
    @Option(name: .long, help: "BLAS threads.") var threads: Int = 1
    @Option(name: .long, help: "Matrix products while writing: auto (bf16 where the CPU has AVX512-BF16, else fp32), fp32, bf16.")
    var precision: PrecisionChoice = .auto
    @OptionGroup(title: "Songwriting") var song: SongOptions

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads: must be at least 1") }
        try precision.validate()
        if prompt != nil && promptFile != nil { throw ValidationError("give --prompt or --prompt-file, not both") }
        if let p = stop.problem(), !p.hasPrefix("give") { throw ValidationError("--" + p) }
        if let p = sampling(defaultTopK: nil).problem() { throw ValidationError("--" + p) }
        if song.isActive, words != nil || characters != nil || maxTokens != nil || !stopWords.isEmpty {
            throw ValidationError("a song (--rhyme, --syllables, --structure, --max-copy) is counted in --lines only")
        }
    }

    var stop: StopConditions {
        let none = lines == nil && words == nil && characters == nil && maxTokens == nil
        return StopConditions(maxTokens: maxTokens, words: words, lines: none ? StopConditions.defaultLines : lines, characters: characters, stopWords: stopWords)
    }

    func sampling(defaultTopK: Int?) -> SamplingSettings {
        SamplingSettings(temperature: temperature, topK: topK ?? defaultTopK, topP: topP, repetitionPenalty: repetitionPenalty,
                         penaltyWindow: penaltyWindow)
    }

    /// The prompt text: `--prompt`, or the file's contents, normalised as the generator would
    /// (missing or not UTF-8: an error naming the file and the bad byte, as for corpora).
    func promptText() throws -> String {
        if let promptFile { return try TextNormalizer.normalizedFile(promptFile) }
        return prompt ?? ""
    }

    /// The request, with a fresh seed (printed on stderr) when none was given. The prompt is read
    /// first, so a bad prompt file is the only line on stderr.
    func request(defaultTopK: Int?) throws -> GenerationRequest {
        let text = try promptText()
        let used = seed ?? UInt64.random(in: 0...UInt64.max)
        if seed == nil { note("seed \(used) (repeat with --seed \(used))") }
        return GenerationRequest(prompt: text, stop: stop, sampling: sampling(defaultTopK: defaultTopK), seed: used)
    }

    /// Writes with the model `load` opens (after setting the BLAS threads) and prints the text
    /// (prompt included). `ratedDefault`: with no flag giving the form (rhyme, syllables, meter,
    /// structure), no `--free` and only a line count, write in the form the blind ratings ranked
    /// best (`lyrics generate`); a theme, judges or --choose go with it.
    func write(ratedDefault: Bool = false, with load: () throws -> TokenModel) throws {
        BLAS.setThreads(threads)
        let model = try load()
        if let k = topK, k > model.tokens.count { note("note: top-k \(k) is larger than the vocabulary (\(model.tokens.count)); using all") }
        let req = try request(defaultTopK: model.defaultTopK)
        let onlyLines = stop == StopConditions(lines: stop.lines) && stop.lines != nil
        var song = self.song
        if ratedDefault, !song.free, !song.givesForm, onlyLines {
            (song.meter, song.rhyme) = SongOptions.ratedDefault
        }
        if song.isActive || (song.chooses && onlyLines) {
            return try song.writeSong(models: [model], lines: lines ?? StopConditions.defaultLines, prompt: req.prompt, sampling: req.sampling, seed: req.seed)
        }
        let r = try Generator.generate(model, req)
        print(r.text.hasSuffix("\n") ? String(r.text.dropLast()) : r.text)
        try song.check(text: r.generated)
    }
}
