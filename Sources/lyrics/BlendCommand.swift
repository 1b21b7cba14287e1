import ArgumentParser
import Blending
import Foundation
import Generation
import LyricsCore
import Models

extension BlendMode: ExpressibleByArgument {}
extension BlendUnit: ExpressibleByArgument {}

/// `lyrics blend`: one song from two models (two "artists"), in turns or by mixing their
/// next-token distributions.
struct BlendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blend",
        abstract: "Write a song with two models of one kind (char or word): in turns, or by mixing their predictions.",
        discussion: """
        --mode alternate: model A writes a line (or a stanza of --stanza-lines lines), model B reads it and \
        writes the next, and so on. --mode mix: every token is drawn from w·pA + (1−w)·pB at --temperature. \
        Char models with different alphabets are mapped by character; word models must share their vectors. \
        The random seed is printed on stderr so a result can be repeated with --seed.
        """
    )

    @Option(name: .customLong("model-a"), help: "First model (char or word checkpoint).") var modelA: String
    @Option(name: .customLong("model-b"), help: "Second model, of the same kind.") var modelB: String
    @Option(name: .long, help: "alternate or mix.") var mode: BlendMode = .alternate
    @Option(name: .long, help: "Turn length for alternate (and stanza breaks for mix): line or stanza.") var unit: BlendUnit = .line
    @Option(name: .customLong("stanza-lines"), parsing: .unconditional, help: "Lines per stanza.") var stanzaLines: Int = 4
    @Option(name: .long, parsing: .unconditional, help: "Weight of model A when mixing, in [0, 1].") var weight: Double = 0.5
    @Option(name: .long, parsing: .unconditional, help: "Lines to write.") var lines: Int = 8
    @Option(name: .long, help: "Text both models read first (normalised); A continues it.") var prompt: String = ""
    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature (0 = always the most likely token).") var temperature: Double = 0.8
    @Option(name: .long, help: "Random seed (default: a fresh one, printed).") var seed: UInt64?
    @Option(name: .long, help: "Word vectors for word models (default: the file each checkpoint names).") var vectors: String?
    @Flag(name: .customLong("show-authors"), help: "Mark each turn with the model that wrote it (A or B).") var showAuthors = false
    @Option(name: .long, help: "BLAS threads.") var threads: Int = 1
    @OptionGroup(title: "Songwriting (with --mode alternate: each turn's lines are written under the scheme)") var song: SongOptions

    func validate() throws {
        guard weight >= 0, weight <= 1 else { throw ValidationError("--weight: must be in [0, 1], got \(weight)") }
        guard lines >= 1 else { throw ValidationError("--lines: must be at least 1") }
        guard stanzaLines >= 1 else { throw ValidationError("--stanza-lines: must be at least 1") }
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature: must be 0 or positive") }
        guard threads >= 1 else { throw ValidationError("--threads: must be at least 1") }
        if song.isActive, mode != .alternate { throw ValidationError("--rhyme: --rhyme, --syllables, --structure and --max-copy need --mode alternate") }
    }

    func run() throws {
        BLAS.setThreads(threads)
        let (a, b) = try Blend.load(modelA, modelB, vectors: vectors)
        let prompt = TextNormalizer.normalize(prompt).trimmingCharacters(in: .newlines)
        let seed = seed ?? UInt64.random(in: 0...UInt64.max)
        note("seed \(seed) (repeat with --seed \(seed))")
        let sampling = SamplingSettings(temperature: Float(temperature))
        if mode == .mix {
            // One model to the generation loop: the mixture, sampled like any model.
            let mixed = try MixedModel(a, b, weight: weight)
            let r = try Generator.generate(mixed, GenerationRequest(prompt: prompt, stop: StopConditions(lines: lines),
                                                                   sampling: sampling, seed: seed))
            let text = unit == .stanza ? Blend.stanzas(r.text, stanzaLines: stanzaLines, context: prompt.filter { $0 == "\n" }.count) : r.text
            print(text)
            return
        }
        // Turns go through the song writer's author switch: by line, or by stanza (the scheme's
        // stanzas for a song, else --stanza-lines); every line is read by both models.
        let (unit, stanzaLines) = (unit, stanzaLines)
        let bySpecStanza = song.isActive && unit == .stanza
        let written = try song.song(models: [a, b], lines: lines, prompt: prompt, sampling: sampling, seed: seed) { line, stanza in
            bySpecStanza ? stanza % 2 : Blend.author(line: line, unit: unit, stanzaLines: stanzaLines)
        }
        if song.isActive { return song.report(written) }
        var out = written.context.map { $0 + "\n" }.joined()
        for (i, line) in written.lines.enumerated() {
            if unit == .stanza, i > 0, i % stanzaLines == 0 { out += "\n" }
            out += (showAuthors ? (line.author == 0 ? "A | " : "B | ") : "") + line.text + "\n"
        }
        print(out, terminator: "")
    }
}
