import Blending
import LyricsCore
import Generation
import XCTest

final class BlenderTests: XCTestCase {
    func testAlternateSwitchesAtEveryNewline() throws {
        let a = ScriptedModel(letter: "a", lineLength: 3), b = ScriptedModel(letter: "b", lineLength: 2)
        var o = BlendOptions()
        o.lines = 4
        let song = try Blender(a, b).write(o)
        XCTAssertEqual(song.text, "aaa\nbb\naaa\nbb\n")
        XCTAssertEqual(song.parts.map(\.author), [0, 1, 0, 1])
        // Each model read the other's turn before writing its own.
        XCTAssertEqual(b.readText, ["aaa\n", "aaa\n"])
        XCTAssertEqual(a.readText, ["bb\n", "bb\n"])
    }

    func testAlternateByStanzaSwitchesAtBlankLines() throws {
        let a = ScriptedModel(letter: "a", lineLength: 2), b = ScriptedModel(letter: "b", lineLength: 2)
        var o = BlendOptions()
        o.unit = .stanza
        o.stanzaLines = 2
        o.lines = 6
        let song = try Blender(a, b).write(o)
        XCTAssertEqual(song.text, "aa\naa\n\nbb\nbb\n\naa\naa\n")
        XCTAssertEqual(song.parts.map(\.text), ["aa\naa\n", "bb\nbb\n", "aa\naa\n"])
        XCTAssertEqual(b.readText, ["aa\naa\n", "aa\naa\n"])
    }

    func testSeedTextIsReadByBothAndContinued() throws {
        let a = ScriptedModel(letter: "a", lineLength: 3), b = ScriptedModel(letter: "b", lineLength: 3)
        var o = BlendOptions()
        o.prompt = "a"
        o.lines = 2
        let song = try Blender(a, b).write(o)
        XCTAssertEqual(song.text, "aaa\nbbb\n")
        XCTAssertEqual(b.readText.first, "a")
    }

    func testMixWithWeightOneIsExactlyA_AndZeroIsExactlyB() throws {
        let a = FixedModel([("\n", 0.2), ("a", 0.5), ("b", 0.3)])
        let b = FixedModel([("\n", 0.1), ("b", 0.1), ("c", 0.8)])
        let blender = try Blender(a, b)
        XCTAssertEqual(blender.unionTokens, ["\n", "a", "b", "c"])
        // Models speak in Float logits, so their distributions round-trip through log p in Float.
        for (x, y) in zip(blender.mixedDistribution(weight: 1), [0.2, 0.5, 0.3, 0]) { XCTAssertEqual(x, y, accuracy: 1e-7) }
        for (x, y) in zip(blender.mixedDistribution(weight: 0), [0.1, 0, 0.1, 0.8]) { XCTAssertEqual(x, y, accuracy: 1e-7) }
        XCTAssertEqual(blender.mixedDistribution(weight: 1)[3], 0, "B's tokens get nothing at weight 1")
        let m = blender.mixedDistribution(weight: 0.3)
        XCTAssertEqual(m.reduce(0, +), 1, accuracy: 1e-12)
        for (x, y) in zip(m, [0.3 * 0.2 + 0.7 * 0.1, 0.3 * 0.5, 0.3 * 0.3 + 0.7 * 0.1, 0.7 * 0.8]) { XCTAssertEqual(x, y, accuracy: 1e-7) }
    }

    func testMixedSongIsDeterministicForASeed() throws {
        let a = FixedModel([("\n", 0.2), ("a", 0.5), ("b", 0.3)])
        let b = FixedModel([("\n", 0.1), ("b", 0.1), ("c", 0.8)])
        var o = BlendOptions()
        o.mode = .mix
        o.lines = 6
        o.temperature = 1
        o.seed = 42
        let first = try Blender(a, b).write(o), again = try Blender(a, b).write(o)
        XCTAssertEqual(first, again)
        XCTAssertEqual(first.text.filter { $0 == "\n" }.count, 6)
        o.seed = 43
        XCTAssertNotEqual(try Blender(a, b).write(o).text, first.text)
        // Weight 1 never writes B-only tokens.
        o.weight = 1
        XCTAssertFalse(try Blender(a, b).write(o).text.contains("c"))
    }

    func testTemperatureZeroPicksTheMostLikely() {
        var scratch = Sampler.Scratch()
        var rng = SeededRandom(seed: 1)
        XCTAssertEqual(Blender.sample([0.2, 0.5, 0.3], temperature: 0, scratch: &scratch, rng: &rng), 1)
        // Low temperature sharpens: almost always the mode.
        var hits = 0
        for _ in 0..<200 where Blender.sample([0.2, 0.5, 0.3], temperature: 0.05, scratch: &scratch, rng: &rng) == 1 { hits += 1 }
        XCTAssertGreaterThan(hits, 195)
    }

    func testBadInputGivesOneLineErrors() throws {
        let a = ScriptedModel(letter: "a", lineLength: 2)
        var o = BlendOptions()
        o.weight = 1.5
        XCTAssertThrowsError(try Blender(a, ScriptedModel(letter: "b", lineLength: 2)).write(o)) { e in
            XCTAssertEqual("\(e)", "weight 1.5 is outside [0, 1]")
        }
        let word = ScriptedModel(letter: "w", lineLength: 2, kind: .word, path: "w.safetensors")
        XCTAssertThrowsError(try Blender(ScriptedModel(letter: "a", lineLength: 2, path: "c.safetensors"), word)) { e in
            XCTAssertEqual("\(e)", "w.safetensors: is a word model but c.safetensors is a char model; blend two models of one kind")
        }
        let otherWords = ScriptedModel(letter: "v", lineLength: 2, kind: .word, path: "v.safetensors")
        XCTAssertThrowsError(try Blender(word, otherWords)) { e in
            XCTAssertTrue("\(e)".hasPrefix("v.safetensors: uses other word vectors than w.safetensors"))
        }
    }

    func testForcedLineEndWhenAModelNeverWritesNewline() throws {
        let a = ScriptedModel(letter: "a", lineLength: 1000), b = ScriptedModel(letter: "b", lineLength: 1000)
        var o = BlendOptions()
        o.lines = 2
        o.maxTokensPerLine = 5
        XCTAssertEqual(try Blender(a, b).write(o).text, "aaaaa\nbbbbb\n")
    }
}
