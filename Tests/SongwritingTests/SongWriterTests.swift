import Foundation
import Generation
import LyricsCore
import Songwriting
import TestSupport
import XCTest

final class SongWriterTests: XCTestCase {
    static let rhymingWords = ["the", "i", "see", "a", "my", "heart", "is", "river", "morning", "golden",
                               "night", "light", "bright", "sight", "fight", "day", "way", "say", "play", "stay"]

    func writer(_ words: [String], index: OriginalityIndex? = nil) throws -> SongWriter {
        SongWriter(model: ScriptedWordModel(words: words), pronunciations: try Pronunciations.shared, index: index)
    }

    func testSchemeParsingAndErrors() throws {
        let s = try RhymeScheme(parsing: "abcb")
        XCTAssertEqual(s.description, "ABCB")
        XCTAssertEqual((0..<4).map { s.anchor(of: $0) }, [nil, nil, nil, 1])
        XCTAssertEqual((0..<4).map { s.hasPartner($0) }, [false, true, false, false])
        XCTAssertEqual((0..<4).map { try! RhymeScheme(parsing: "AABB").anchor(of: $0) }, [nil, 0, nil, 2])
        XCTAssertThrowsError(try RhymeScheme(parsing: "AB1B")) { e in
            XCTAssertEqual("\(e)", "rhyme: unknown scheme character '1' in 'AB1B'; use letters only (e.g. AABB, ABAB, ABCB)")
        }
        XCTAssertThrowsError(try RhymeScheme(parsing: ""))
        XCTAssertEqual(try SongSpec.parseSyllables("8,6, 8,6"), [8, 6, 8, 6])
        for bad in ["0", "31", "8,x", ""] { XCTAssertThrowsError(try SongSpec.parseSyllables(bad), bad) }
        XCTAssertThrowsError(try SongSpec.parseSyllables("0")) { e in XCTAssertTrue("\(e)".hasPrefix("syllables: 0 is out of range"), "\(e)") }
        XCTAssertThrowsError(try SongSpec.parseStructure("verse solo chorus")) { e in
            XCTAssertTrue("\(e)".hasPrefix("structure: unknown part 'solo'"), "\(e)")
        }
        XCTAssertThrowsError(try SongSpec.parse(rhyme: nil, syllables: nil, structure: "verse", partLines: "chorus=2", maxCopy: nil))
        XCTAssertThrowsError(try SongSpec.parse(rhyme: nil, syllables: nil, structure: nil, partLines: nil, maxCopy: 2))

        let spec = try SongSpec.parse(rhyme: "AABB", syllables: nil, structure: "verse chorus verse pre-chorus chorus bridge",
                                      partLines: "bridge=2", maxCopy: nil)
        XCTAssertEqual(spec.stanzas().map(\.lines), [4, 4, 4, 4, 4, 2])
        XCTAssertEqual(spec.stanzas().map(\.repeats), [nil, nil, nil, nil, 1, nil])
        XCTAssertEqual(spec.stanzas()[3].part, "prechorus")
        var plain = SongSpec()
        plain.rhyme = try RhymeScheme(parsing: "ABAB")
        plain.lines = 10
        XCTAssertEqual(plain.stanzas().map(\.lines), [4, 4, 2])
    }

    func testRhymeSchemeMetWhenTheVocabularyAllowsIt() throws {
        let pron = try Pronunciations.shared
        let spec = try SongSpec.parse(rhyme: "AABB", syllables: nil, structure: nil, partLines: nil, lines: 8, maxCopy: nil)
        let song = try writer(Self.rhymingWords).write(spec, sampling: SamplingSettings(temperature: 1), seed: 3)
        XCTAssertEqual(song.lines.count, 8)
        XCTAssertEqual(song.notes, [])
        for (a, b) in [(0, 1), (2, 3), (4, 5), (6, 7)] {
            let wa = song.lines[a].text.split(separator: " ").last.map(String.init)!, wb = song.lines[b].text.split(separator: " ").last.map(String.init)!
            XCTAssertTrue(pron.rhymes(wa, wb), "\(song.lines[a].text) / \(song.lines[b].text)")
            XCTAssertEqual(song.lines[b].rhymesWith, a)
            XCTAssertEqual(song.lines[b].rhymes, true)
            XCTAssertEqual(song.lines[a].rhymeWord, wa)
        }
        XCTAssertEqual(song.text().components(separatedBy: "\n\n").count, 2, "stanzas of 4 separated by a blank line")
        // Same seed, same song.
        XCTAssertEqual(try writer(Self.rhymingWords).write(spec, sampling: SamplingSettings(temperature: 1), seed: 3), song)
    }

    func testUnmeetableRhymeIsBestEffortWithNotesAndBounded() throws {
        // No two of these words rhyme.
        let spec = try SongSpec.parse(rhyme: "AABB", syllables: nil, structure: nil, partLines: nil, lines: 4, maxCopy: nil, candidates: 30)
        let started = Date()
        let song = try writer(["cat", "orange", "month", "silver", "purple"]).write(spec, seed: 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        XCTAssertEqual(song.lines.count, 4)
        XCTAssertTrue(song.lines.allSatisfy { !$0.text.isEmpty })
        XCTAssertTrue(song.notes.contains { $0.hasPrefix("line 2 (stanza 1) missed after") && $0.contains("does not rhyme with") }, "\(song.notes)")
        XCTAssertEqual(song.lines[1].rhymes, false)
        XCTAssertFalse(song.lines[1].missed.isEmpty)
        XCTAssertLessThanOrEqual(song.lines.map(\.candidates).max()!, 34)
    }

    func testSyllableCountsExactAndChorusRepeatedVerbatim() throws {
        let pron = try Pronunciations.shared
        let spec = try SongSpec.parse(rhyme: "AABB", syllables: "6,5", structure: "verse chorus verse chorus",
                                      partLines: "verse=4,chorus=2", maxCopy: nil)
        let song = try writer(Self.rhymingWords).write(spec, sampling: SamplingSettings(temperature: 1), seed: 9)
        XCTAssertEqual(song.lines.count, 12)
        XCTAssertEqual(song.notes, [])
        for l in song.lines { XCTAssertEqual(pron.syllables(of: l.text), l.targetSyllables, l.text) }
        XCTAssertEqual(song.lines.map(\.targetSyllables), [6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5])
        XCTAssertEqual(song.lines[10].text, song.lines[4].text)
        XCTAssertEqual(song.lines[11].text, song.lines[5].text)
        XCTAssertEqual(song.lines[11].repeatOf, 5)
        XCTAssertEqual(song.lines[11].rhymesWith, 10)
        XCTAssertNotEqual(song.lines[6].text + song.lines[7].text, song.lines[0].text + song.lines[1].text)
        let text = song.text(labels: true)
        XCTAssertTrue(text.hasPrefix("[Verse]\n"), text)
        XCTAssertEqual(text.components(separatedBy: "[Chorus]\n").count, 3, text)
    }

    /// `--meter iambic` with 6 syllables: every line scans (its two-syllable words, all
    /// stressed on the first, fall with the stress on a beat), and the meter implies the count.
    func testMeterLinesScan() throws {
        let pron = try Pronunciations.shared
        let spec = try SongSpec.parse(rhyme: nil, syllables: "6", structure: nil, partLines: nil, lines: 6, maxCopy: nil, meter: "iambic")
        XCTAssertEqual(spec.meter(forLine: 0)?.description, "010101")
        let implied = try SongSpec.parse(rhyme: nil, syllables: nil, structure: nil, partLines: nil, maxCopy: nil, meter: "0101,010")
        XCTAssertEqual(implied.syllables, [4, 3])
        let song = try writer(Self.rhymingWords).write(spec, sampling: SamplingSettings(temperature: 1), seed: 4)
        XCTAssertEqual(song.notes, [])
        let pattern = spec.meter(forLine: 0)!
        var polysyllabic = 0
        for l in song.lines {
            let words = l.text.split(separator: " ").map(String.init)
            XCTAssertEqual(pron.meterMisses(words, pattern: pattern), 0, l.text)
            polysyllabic += words.filter { pron.syllables(of: $0) > 1 }.count
        }
        XCTAssertGreaterThan(polysyllabic, 0, "some line should place a two-syllable word")
    }

    func testMaxCopyResamplesCopiedLines() throws {
        let training = "the night is bright the day\nmy heart is golden light\n"
        let index = OriginalityIndex.build(text: training)
        let spec = try SongSpec.parse(rhyme: nil, syllables: nil, structure: nil, partLines: nil, lines: 12, maxCopy: 3)
        let song = try writer(["the", "night", "is", "bright", "day", "my", "heart", "golden", "light"], index: index).write(spec, seed: 2)
        for l in song.lines where l.missed.isEmpty {
            XCTAssertLessThan(index.longestSharedRun(l.text.split(separator: " ").map(String.init)), 3, l.text)
        }
        XCTAssertThrowsError(try writer(Self.rhymingWords).write(spec, seed: 1)) { e in XCTAssertTrue("\(e)".hasPrefix("max-copy:")) }
    }

    func testTwoModelsTakeTurnsAndBothReadEveryLine() throws {
        let a = ScriptedWordModel(words: Self.rhymingWords), b = ScriptedWordModel(words: Self.rhymingWords)
        let writer = SongWriter(models: [a, b], pronunciations: try Pronunciations.shared)
        let spec = try SongSpec.parse(rhyme: "ABAB", syllables: "5", structure: nil, partLines: nil, lines: 4, maxCopy: nil)
        let song = try writer.write(spec, sampling: SamplingSettings(temperature: 1), seed: 4, author: { line, _ in line % 2 })
        XCTAssertEqual(song.lines.map(\.author), [0, 1, 0, 1])
        XCTAssertEqual(song.notes, [])
        XCTAssertEqual(song.lines.map(\.rhymesWith), [nil, nil, 0, 1])
        // The model that did not write a line reads it whole once it is chosen (the writer goes on
        // from the chosen candidate's own state; its candidates were read as interleaved streams).
        let enc = { (i: Int) in a.encode(song.lines[i].text + "\n") }
        func reads(_ m: ScriptedWordModel, _ ids: [Int32]) -> Bool {
            m.read.count >= ids.count && (0...(m.read.count - ids.count)).contains { Array(m.read[$0..<($0 + ids.count)]) == ids }
        }
        for i in 0..<4 { XCTAssertTrue(reads(i % 2 == 0 ? b : a, enc(i)), "line \(i + 1) not read by the other model") }
        XCTAssertEqual(Array(a.read.suffix(enc(3).count)), enc(3), "A reads B's last line last")
    }

    func testMetricsOnHandWrittenStanzas() throws {
        let pron = try Pronunciations.shared
        let stanzas = [["i see the light", "you see the night", "we go away", "and then we stay"],
                       ["a cat", "a dog", "the sun", "the moon"]]
        let m = SongMetrics(stanzas: stanzas, scheme: try RhymeScheme(parsing: "AABB"), syllables: [4], pronunciations: pron)
        XCTAssertEqual(m.rhymePairs, 4)
        XCTAssertEqual(m.rhymingPairs, 2)
        XCTAssertEqual(m.rhymeAccuracy, 0.5)
        // 4, 4, 4, 4 syllables; then 2, 2, 2, 2.
        XCTAssertEqual(m.exactSyllableLines, 4)
        XCTAssertEqual(m.syllableLines, 8)
        XCTAssertNil(m.copyRate)
        XCTAssertGreaterThan(m.rhymeDensity, 0)
    }
}
