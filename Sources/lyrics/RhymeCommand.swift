import ArgumentParser
import Foundation
import LyricsCore
import Songwriting

/// `lyrics rhyme`: pronunciations, rhyme keys and syllables of words (CMU dictionary, else the
/// spelling fallback), whether neighbouring words rhyme, the rhyme density of a text, and the
/// fallback's measured agreement with the dictionary.
struct RhymeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rhyme",
        abstract: "Rhyme keys, syllables and rhyme density (CMU Pronouncing Dictionary + spelling fallback).",
        discussion: """
        Examples:
          lyrics rhyme night light love move o'er
          lyrics rhyme --density song.txt
          lyrics rhyme --agreement --json
          lyrics rhyme --scan song.txt --meter iambic
        """
    )

    @Option(name: .long, help: "Print the rhyme density (Malmi et al. 2016) of this text file ('-' = standard input).")
    var density: String?
    @Flag(name: .long, help: "Measure the spelling fallback against held-out dictionary words (every 10th).")
    var agreement = false
    @Option(name: .long, help: "Check every line of this text file ('-' = standard input) against --meter: which lines scan.")
    var scan: String?
    @Option(name: .long, help: "With --scan: iambic, trochaic, anapestic, dactylic (tetrameter) or 0/1 patterns, comma-separated per line, cycling.")
    var meter: String?
    @OptionGroup var output: JSONOutputOptions
    @Argument(help: "Words to look up; neighbouring words are tested for rhyme.") var words: [String] = []

    func validate() throws {
        guard !words.isEmpty || density != nil || agreement || scan != nil else {
            throw ValidationError("give words, --density FILE, --scan FILE or --agreement")
        }
        if (scan == nil) != (meter == nil) { throw ValidationError("--scan and --meter go together") }
        if let meter { do { _ = try MeterPattern.parse(meter) } catch let e as LyricsError { throw ValidationError("--" + e.description) } }
    }

    struct WordEntry: Codable {
        var word: String, pronunciations: [String], fromDictionary: Bool, rhymeKeys: [String], syllables: Int
    }

    /// A line against its meter pattern: the fewest syllables whose stress goes against it
    /// (nil: no choice of pronunciations gives the pattern's syllables), the writer's own rule.
    struct ScannedLine: Codable {
        var line: String, pattern: String, misses: Int?, scans: Bool
    }

    struct Output: Codable {
        var words: [WordEntry]?
        var scanned: [ScannedLine]?
        /// The share of non-empty lines that scan.
        var scanShare: Double?
        var rhymes: [[String: String]]?
        var density: Double?
        var agreement: FallbackAgreement?
    }

    func run() throws {
        do {
            let started = Date()
            let dict = try Pronunciations.shared
            note(String(format: "pronunciations: %d words loaded in %.1f ms", dict.wordCount, Date().timeIntervalSince(started) * 1000))
            var out = Output()
            if !words.isEmpty {
                out.words = words.map { w in
                    let prons = dict.pronunciations(of: w)
                    return WordEntry(word: w, pronunciations: prons.map(\.description), fromDictionary: prons.first?.fromDictionary ?? false,
                                     rhymeKeys: dict.rhymeKeys(of: w).map(\.description), syllables: dict.syllables(of: w))
                }
                out.rhymes = zip(words, words.dropFirst()).map { a, b in ["a": a, "b": b, "rhyme": dict.rhymes(a, b) ? "yes" : "no"] }
            }
            if let density {
                let data = density == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try InputFile.read(density)
                let text = try TextNormalizer.normalize(data: data, file: density)
                guard !text.isEmpty else { throw LyricsError(file: density, "no words") }
                out.density = RhymeDensity.measure(text: text, pronunciations: dict).density
            }
            if let scan, let meter {
                let data = scan == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try InputFile.read(scan)
                let lines = try TextNormalizer.normalize(data: data, file: scan).split(separator: "\n").map(String.init)
                guard !lines.isEmpty else { throw LyricsError(file: scan, "no lines") }
                let patterns = try MeterPattern.parse(meter)
                out.scanned = lines.enumerated().map { i, line in
                    let p = patterns[i % patterns.count]
                    let misses = dict.meterMisses(line: line, pattern: p)
                    return ScannedLine(line: line, pattern: p.description, misses: misses, scans: misses == 0)
                }
                out.scanShare = Double(out.scanned!.filter(\.scans).count) / Double(lines.count)
            }
            if agreement {
                let t = Date()
                out.agreement = FallbackAgreement.measure(dict)
                note(String(format: "agreement measured in %.1f s", Date().timeIntervalSince(t)))
            }
            if output.json { return try output.emit(out) }
            for e in out.words ?? [] {
                let source = e.fromDictionary ? "dictionary" : "spelling guess"
                print("\(e.word): \(e.pronunciations.joined(separator: " | ")) (\(source)); rhyme \(e.rhymeKeys.joined(separator: " | ")); \(e.syllables) syllables")
            }
            for r in out.rhymes ?? [] { print("\(r["a"]!) / \(r["b"]!): \(r["rhyme"] == "yes" ? "rhyme" : "no rhyme")") }
            if let d = out.density { print(String(format: "rhyme density: %.3f", d)) }
            for l in out.scanned ?? [] {
                print("\(l.scans ? "scans" : l.misses.map { "\($0) off" } ?? "no fit")\t\(l.pattern)\t\(l.line)")
            }
            if let share = out.scanShare { print(String(format: "lines that scan: %.1f%%", 100 * share)) }
            if let a = out.agreement { print(a) }
        }
    }
}
