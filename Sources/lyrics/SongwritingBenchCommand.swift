import ArgumentParser
import CharModel
import Evaluation
import Foundation
import Generation
import LyricsCore
import Models
import Songwriting

/// `lyrics songwriting-bench`: how well the song writer keeps a form, per model and setting
/// (unconstrained, AABB, ABAB, 8 syllables, AABB + 8), and what the form costs in fluency as a
/// judge char model sees it.
struct SongwritingBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "songwriting-bench",
        abstract: "Measure rhyme and syllable accuracy, rhyme density, copy rate and judged bits/char of written stanzas.",
        discussion: """
        Every model writes --stanzas 4-line stanzas (each from a fresh state, seeds --seed, --seed+1, ...) in each \
        setting. Rhyme accuracy: the share of line pairs the scheme asks to rhyme that rhyme (dictionary + fallback); for \
        settings without a scheme it is measured against AABB as a baseline. Syllable accuracy: the share of lines with \
        exactly the asked count (8 as the baseline where none is asked). Judge bits/char: --judge (a char model) scores \
        each setting's normalised text; Δ is against the same model's unconstrained stanzas.
        """
    )

    @Option(name: .long, help: "Model checkpoint (char or word; repeatable).") var model: [String]
    @Option(name: .long, help: "A char model that scores the written text (bits per character).") var judge: String?
    @Option(name: .long, help: "Training text, for the copy rate (lines sharing 6+ words in a row with it).") var corpus: String?
    @Option(name: .long, help: "Folder for the originality index (default ~/.cache/lyrics).") var cache: String?
    @Option(name: .long, help: "Stanzas per model and setting.") var stanzas: Int = 100
    @Option(name: .long, help: "Candidate lines at most per constrained line.") var candidates: Int = 100
    @Option(name: .long, help: "Sampling temperature.") var temperature: Float = 0.8
    @Option(name: .long, help: "First random seed.") var seed: UInt64 = 1
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Option(name: .long, help: "BLAS threads.") var threads: Int = 1

    static let settings: [(name: String, rhyme: String?, syllables: String?)] = [
        ("unconstrained", nil, nil), ("AABB", "AABB", nil), ("ABAB", "ABAB", nil), ("syllables 8", nil, "8"), ("AABB+8", "AABB", "8"),
    ]

    struct Row: Codable {
        var model: String
        var setting: String
        var metrics: SongMetrics
        var rhymeAccuracy: Double
        var syllableAccuracy: Double
        var copyRate: Double?
        var judgeBitsPerChar: Double?
        var judgeDelta: Double?
        var missedLines: Int
        var secondsPerStanza: Double
    }

    func validate() throws {
        guard !model.isEmpty else { throw ValidationError("--model: give at least one model") }
        guard (1...10_000).contains(stanzas) else { throw ValidationError("--stanzas: must be 1 to 10000") }
        guard SongSpec.candidateRange.contains(candidates) else { throw ValidationError("--candidates: must be 1 to 1000") }
    }

    func run() throws {
        BLAS.setThreads(max(threads, 1))
        let pron = try Pronunciations.shared
        let index = try corpus.map { try OriginalityIndex.cached(corpus: $0, cacheDirectory: cache ?? OriginalityIndex.defaultCacheDirectory).0 }
        let judgeModel = try judge.map { try CharCheckpoint.model(CharCheckpoint.load($0), batch: 1, maxSteps: CharModel.scoringSteps) }
        var rows = [Row]()
        for path in model {
            let m = try ModelLoader.load(path)
            let writer = SongWriter(model: m, pronunciations: pron, index: index)
            // The model's own top-k, as `generate` and the server use (prior rule: all words).
            let sampling = SamplingSettings(temperature: temperature, topK: m.defaultTopK)
            var baseline: Double?
            for setting in Self.settings {
                var spec = try SongSpec.parse(rhyme: setting.rhyme, syllables: setting.syllables, structure: nil, partLines: nil,
                                              lines: 4, maxCopy: nil, candidates: candidates)
                spec.lines = 4
                let started = Date()
                var written = [[String]]()
                var missed = 0
                for k in 0..<stanzas {
                    let song = try writer.write(spec, sampling: sampling, seed: seed &+ UInt64(k))
                    written.append(song.lines.map(\.text))
                    missed += song.lines.filter { !$0.missed.isEmpty }.count
                    if (k + 1) % 10 == 0 || k + 1 == stanzas {
                        ProgressReporter.write("\r\((path as NSString).lastPathComponent) \(setting.name): \(k + 1)/\(stanzas) stanzas")
                    }
                }
                ProgressReporter.write("\n")
                let seconds = Date().timeIntervalSince(started)
                let metrics = SongMetrics(stanzas: written, scheme: try RhymeScheme(parsing: setting.rhyme ?? "AABB"),
                                          syllables: try SongSpec.parseSyllables(setting.syllables ?? "8"), pronunciations: pron, index: index)
                var bpc: Double?
                if let judgeModel {
                    let text = TextNormalizer.normalize(written.map { $0.joined(separator: "\n") }.joined(separator: "\n"))
                    bpc = Comparison.score(char: judgeModel, text: text, name: "judge").score.bitsPerCharacter
                }
                if setting.rhyme == nil && setting.syllables == nil { baseline = bpc }
                rows.append(Row(model: path, setting: setting.name, metrics: metrics, rhymeAccuracy: metrics.rhymeAccuracy,
                                syllableAccuracy: metrics.syllableAccuracy, copyRate: metrics.copyRate, judgeBitsPerChar: bpc,
                                judgeDelta: bpc.flatMap { b in baseline.map { b - $0 } }, missedLines: missed,
                                secondsPerStanza: seconds / Double(stanzas)))
            }
        }
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try e.encode(rows), as: UTF8.self))
            return
        }
        print("| model | setting | rhyme accuracy | syllable accuracy | rhyme density | copy rate | judge bits/char (Δ) | lines missed | s/stanza |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in rows {
            let setting = Self.settings.first { $0.name == r.setting }
            let rhyme = Self.percent(r.rhymeAccuracy) + (setting?.rhyme == nil ? " (AABB pairs)" : "")
            let syl = Self.percent(r.syllableAccuracy) + (setting?.syllables == nil ? " (vs 8)" : "")
            let judge = r.judgeBitsPerChar.map { String(format: "%.3f", $0) + (r.judgeDelta.map { String(format: " (%+.3f)", $0) } ?? "") } ?? "-"
            print("| \((r.model as NSString).lastPathComponent) | \(r.setting) | \(rhyme) | \(syl) | \(String(format: "%.3f", r.metrics.rhymeDensity)) | \(r.copyRate.map(Self.percent) ?? "-") | \(judge) | \(r.missedLines)/\(r.metrics.lines) | \(String(format: "%.2f", r.secondsPerStanza)) |")
        }
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
}
