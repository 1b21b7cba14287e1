import Foundation
import Generation
import LyricsCore
@testable import Songwriting
import TestSupport
import XCTest

/// The writer's choice among candidates: lines that stammer are refused, a theme leans the
/// words without forcing them, judges score the same text, and the theme and choose fields
/// parse with one-line errors.
final class ChoiceAndThemeTests: XCTestCase {
    func testStammeringLinesAreNamed() {
        XCTAssertEqual(LineSampler.stammer(["of", "sorts", "of", "sorts"]), "'of sorts' twice in the line")
        XCTAssertEqual(LineSampler.stammer(["love", "is", "love", "and", "love"]), "'love' three times in the line")
        XCTAssertNil(LineSampler.stammer(["the", "night", "is", "bright", "and", "the", "day"]))
    }

    func testThemeAndChooseParse() throws {
        let spec = try SongSpec.parse(rhyme: nil, syllables: nil, structure: nil, partLines: nil, maxCopy: nil, theme: " sea, storm ", choose: 4)
        XCTAssertEqual(spec.theme, " sea, storm ")
        XCTAssertEqual(try Theme.words(of: spec.theme!), ["sea", "storm"])
        XCTAssertEqual(spec.choose, 4)
        XCTAssertEqual(spec.enough, 4)
        XCTAssertTrue(spec.isActive)
        XCTAssertThrowsError(try SongSpec.parse(rhyme: nil, syllables: nil, structure: nil, partLines: nil, maxCopy: nil, theme: "1 2 3")) { e in
            XCTAssertTrue("\(e)".hasPrefix("theme: give one or more words"), "\(e)")
        }
        XCTAssertThrowsError(try SongSpec.parse(rhyme: nil, syllables: nil, structure: nil, partLines: nil, maxCopy: nil, choose: 0)) { e in
            XCTAssertEqual("\(e)", "choose: must be 1 to 64")
        }
    }

    /// A theme word gets its bonus: over first lines written from many seeds (no theme word read
    /// yet, so no word is held back as recent), the theme's share of the words rises, and no word
    /// outside the model's vocabulary appears.
    func testThemeRaisesItsWords() throws {
        let words = SongWriterTests.rhymingWords
        let spec = try SongSpec.parse(rhyme: nil, syllables: nil, structure: nil, partLines: nil, lines: 1, maxCopy: nil)
        func share(_ theme: Theme?) throws -> Double {
            var all = [String]()
            for seed in 1...40 as ClosedRange<UInt64> {
                let writer = SongWriter(model: ScriptedWordModel(words: words), pronunciations: try Pronunciations.shared)
                writer.theme = theme
                all += try writer.write(spec, sampling: SamplingSettings(temperature: 1), seed: seed).lines[0].text.split(separator: " ").map(String.init)
            }
            XCTAssertTrue(all.allSatisfy(words.contains))
            return Double(all.filter { ["river", "morning"].contains($0) }.count) / Double(max(all.count, 1))
        }
        let theme = Theme(text: "river morning", weights: ["river": 0.8, "morning": 0.8])
        XCTAssertEqual(theme.bonus("river"), Theme.defaultStrength * 0.8)
        XCTAssertEqual(theme.bonus("the"), 0)
        XCTAssertEqual(theme.share(["river", "the", "river", "sea"]), 0.8 / 4, accuracy: 1e-6, "a theme word twice counts once")
        XCTAssertGreaterThan(try share(theme), 1.5 * (try share(nil)))
    }

    /// A model that would end every line at once still writes no empty line: a line's first
    /// token may not end it (a free line used to come back empty).
    func testFreeLinesAreNeverEmpty() throws {
        final class Terse: TokenModel {
            let kind = ModelKind.word, path = "terse", newlineToken: Int32 = 0, forbiddenTokens: [Int32] = []
            let tokens = ["\n", "sea", "night", "stars"]
            func reset() {}
            func observe(_ token: Int32) {}
            func encode(_ text: String) -> [Int32] { [] }
            func logits(into logits: UnsafeMutableBufferPointer<Float>) {
                for i in 0..<logits.count { logits[i] = 0 }
                logits[0] = 6  // the line end, 400 times likelier than any word
            }
            func saveState() -> [Float] { [] }
            func restoreState(_ state: [Float]) {}
        }
        let spec = try SongSpec.parse(rhyme: nil, syllables: nil, structure: nil, partLines: nil, lines: 6, maxCopy: nil)
        for seed in 1...5 as ClosedRange<UInt64> {
            let song = try SongWriter(model: Terse(), pronunciations: try Pronunciations.shared)
                .write(spec, sampling: SamplingSettings(temperature: 1), seed: seed)
            XCTAssertEqual(song.lines.count, 6)
            XCTAssertTrue(song.lines.allSatisfy { !$0.text.isEmpty }, "seed \(seed): \(song.lines.map(\.text))")
        }
    }

    /// A judge reads each candidate as the same text; with one candidate per line it changes
    /// nothing, and the song it helps write is repeatable from its seed.
    func testJudgedWritingIsRepeatable() throws {
        let words = SongWriterTests.rhymingWords
        let spec = try SongSpec.parse(rhyme: "AABB", syllables: nil, structure: nil, partLines: nil, lines: 4, maxCopy: nil)
        func song() throws -> [String] {
            let writer = SongWriter(model: ScriptedWordModel(words: words), judges: [ScriptedWordModel(words: words)],
                                    pronunciations: try Pronunciations.shared)
            return try writer.write(spec, sampling: SamplingSettings(temperature: 1), seed: 3).lines.map(\.text)
        }
        let a = try song()
        XCTAssertEqual(a.count, 4)
        XCTAssertEqual(a, try song())
    }
}
