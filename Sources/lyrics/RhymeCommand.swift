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
        """
    )

    @Option(name: .long, help: "Print the rhyme density (Malmi et al. 2016) of this text file ('-' = standard input).")
    var density: String?
    @Flag(name: .long, help: "Measure the spelling fallback against held-out dictionary words (every 10th).")
    var agreement = false
    @OptionGroup var output: JSONOutputOptions
    @Argument(help: "Words to look up; neighbouring words are tested for rhyme.") var words: [String] = []

    func validate() throws {
        guard !words.isEmpty || density != nil || agreement else {
            throw ValidationError("give words, --density FILE or --agreement")
        }
    }

    struct WordEntry: Codable {
        var word: String, pronunciations: [String], fromDictionary: Bool, rhymeKeys: [String], syllables: Int
    }

    struct Output: Codable {
        var words: [WordEntry]?
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
            if let a = out.agreement { print(a) }
        }
    }
}
