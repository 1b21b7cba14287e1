import ArgumentParser
import Foundation
import Generation
import LyricsCore
import Models
import Songwriting

/// The songwriting flags (`char generate`, `word generate`, `blend`): rhyme scheme, syllables,
/// song structure, a cap on copied words, and the originality check against a training text.
struct SongOptions: ParsableArguments {
    @Option(name: .long, help: "Rhyme scheme, one letter per line of a stanza, repeating (AABB, ABAB, ABCB, AAAA, ...).")
    var rhyme: String?
    @Option(name: .long, help: "Syllables per line: 8, or per line of a stanza: 8,6,8,6 (1 to 30).") var syllables: String?
    @Option(name: .long, help: "Meter from the CMU dictionary's stresses: iambic, trochaic, anapestic or dactylic (cut to --syllables, default 8), or 0/1 patterns such as 01010101, comma-separated per line.")
    var meter: String?
    @Option(name: .long, help: "Song parts in order, e.g. \"verse chorus verse chorus bridge chorus\"; a chorus is written once and repeated.")
    var structure: String?
    @Option(name: .customLong("part-lines"), help: "Lines per part, e.g. verse=4,chorus=4,bridge=2 (default: the scheme's length, else 4).")
    var partLines: String?
    @Flag(name: .long, help: "Print part labels ([Verse], [Chorus], ...) above the stanzas.") var labels = false
    @Option(name: .customLong("max-copy"), help: "Resample lines that copy this many words or more of the training text in a row (needs --corpus).")
    var maxCopy: Int?
    @Option(name: .long, help: "The training text (file, folder or table): copied lines are flagged with their source, and --max-copy enforced.")
    var corpus: String?
    @Option(name: .long, help: "Folder for the originality index of --corpus (default ~/.cache/lyrics).") var cache: String?
    @Option(name: .long, help: "Candidate lines sampled at most for each constrained line (1 to 1000).") var candidates: Int = 100
    @Option(name: .long, help: "What the song is about, e.g. \"sea storm\": words near it in the word vectors are raised, line-end rhymes drawn among them.")
    var theme: String?
    @Option(name: .long, parsing: .unconditional, help: "Candidates each line is chosen among, drawn as one batch (1 to 64; default: 8 for lines with a rhyme, syllables or meter, 1 for free lines).")
    var choose: Int?
    @Flag(name: .long, help: "No default form: plain sampling token by token (without it, `generate` with no --rhyme, --syllables, --meter or --structure writes iambic tetrameter rhymed ABAB, the setting blind readers rated best).")
    var free = false
    @Option(name: .long, help: "A model that also scores the candidate lines: word, char (the shipped ones) or a checkpoint (repeatable).")
    var judge: [String] = []
    @Flag(name: .long, help: "Print the song as JSON (lines with rhyme words, syllables, missed constraints, copies).") var json = false

    var isActive: Bool { rhyme != nil || syllables != nil || meter != nil || structure != nil || maxCopy != nil || theme != nil || !judge.isEmpty }

    /// Whether a flag gives the song's form (the rated default form applies when none does;
    /// theme, judges, choosing and the copy guard go with any form).
    var givesForm: Bool { rhyme != nil || syllables != nil || meter != nil || structure != nil }

    /// Whether lines are chosen among several candidates (the writer), when nothing else asks for it.
    var chooses: Bool { (choose ?? 1) > 1 }

    /// The form `generate` writes when no flag gives one: the setting the blind
    /// ratings ranked best (docs/ratings.md).
    static let ratedDefault = (meter: "iambic", rhyme: "ABAB")

    func validate() throws {
        do { _ = try spec(lines: StopConditions.defaultLines) } catch let e as LyricsError { throw ValidationError("--" + e.description) }
        if maxCopy != nil, corpus == nil { throw ValidationError("--max-copy: needs --corpus FILE (the training text to compare with)") }
        if partLines != nil, structure == nil { throw ValidationError("--part-lines: needs --structure") }
    }

    func spec(lines: Int) throws -> SongSpec {
        try SongSpec.parse(rhyme: rhyme, syllables: syllables, structure: structure, partLines: partLines, lines: lines,
                           maxCopy: maxCopy, candidates: candidates, meter: meter, theme: theme, choose: choose)
    }

    /// The originality index of `--corpus` (cached), or nil.
    func originalityIndex() throws -> OriginalityIndex? {
        guard let corpus else { return nil }
        let progress = ProgressReporter(label: "originality index", total: 2, unit: "stage")
        let (index, built) = try OriginalityIndex.cached(corpus: corpus, cacheDirectory: cache ?? OriginalityIndex.defaultCacheDirectory,
                                                         progress: progress)
        note(built ? "built the originality index of \(corpus) (\(index.lineCount) lines)" : "originality index of \(corpus): \(index.lineCount) lines")
        return index
    }

    /// Writes a song with `models` (taking turns by `author`) and prints it: text (or JSON) on
    /// stdout, notes and copied lines on stderr.
    func writeSong(models: [TokenModel], lines: Int, prompt: String, sampling: SamplingSettings, seed: UInt64,
                   author: @escaping (Int, Int) -> Int = { _, _ in 0 }) throws {
        report(try song(models: models, lines: lines, prompt: prompt, sampling: sampling, seed: seed, author: author))
    }

    /// The song `writeSong` prints, for a caller that prints it its own way (`blend`'s turns).
    func song(models: [TokenModel], lines: Int, prompt: String, sampling: SamplingSettings, seed: UInt64,
              author: @escaping (Int, Int) -> Int = { _, _ in 0 }) throws -> Song {
        let spec: SongSpec
        do { spec = try self.spec(lines: lines) } catch let e as LyricsError { throw LyricsError("--" + e.description) }
        let judges = try judge.map { name -> TokenModel in
            let path = ModelLoader.resolve(name)
            guard FileManager.default.fileExists(atPath: path) else { throw LyricsError(file: path, "--judge: no such file") }
            return try ModelLoader.load(path)
        }
        let writer = SongWriter(models: models, judges: judges, pronunciations: try Pronunciations.shared, index: try originalityIndex())
        writer.theme = try spec.theme.map { try ModelLoader.theme($0, models: models + judges) }
        return try writer.write(spec, prompt: prompt, sampling: sampling, seed: seed, author: author)
    }

    /// Prints a song and its notes; also used for free text checked against the index.
    func report(_ song: Song) {
        for n in song.notes { note("note: " + n) }
        for c in song.copyReport { note(c) }
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: (try? e.encode(song)) ?? Data(), as: UTF8.self))
        } else {
            print(song.text(labels: labels), terminator: "")
        }
    }

    /// Free text (no song constraints) checked against `--corpus` when given: copied lines on stderr.
    func check(text: String) throws {
        guard let index = try originalityIndex() else { return }
        for c in Song(checking: text, index: index).copyReport { note(c) }
    }
}
