import Blending
import LyricsCore
import Generation
import XCTest

/// A mixed blend is a `TokenModel`: the mixture over the union vocabulary, written through the
/// one generation loop. (Turns are the song writer's author switch, tested with `lyrics blend`.)
final class MixedModelTests: XCTestCase {
    /// The mixture's text through `Generator` (lines, seed, prompt as any model's).
    static func write(_ model: MixedModel, lines: Int, seed: UInt64, prompt: String = "", temperature: Float = 1) throws -> String {
        try Generator.generate(model, GenerationRequest(prompt: prompt, stop: StopConditions(lines: lines),
                                                        sampling: SamplingSettings(temperature: temperature), seed: seed)).text
    }

    func testWeightOneIsExactlyA_AndZeroIsExactlyB() throws {
        let a = FixedModel([("\n", 0.2), ("a", 0.5), ("b", 0.3)])
        let b = FixedModel([("\n", 0.1), ("b", 0.1), ("c", 0.8)])
        XCTAssertEqual(try MixedModel(a, b).tokens, ["\n", "a", "b", "c"])
        // Models speak in Float logits, so their distributions round-trip through log p in Float.
        for (x, y) in zip(try MixedModel(a, b, weight: 1).mixedDistribution(), [0.2, 0.5, 0.3, 0]) { XCTAssertEqual(x, y, accuracy: 1e-7) }
        for (x, y) in zip(try MixedModel(a, b, weight: 0).mixedDistribution(), [0.1, 0, 0.1, 0.8]) { XCTAssertEqual(x, y, accuracy: 1e-7) }
        XCTAssertEqual(try MixedModel(a, b, weight: 1).mixedDistribution()[3], 0, "B's tokens get nothing at weight 1")
        let m = try MixedModel(a, b, weight: 0.3).mixedDistribution()
        XCTAssertEqual(m.reduce(0, +), 1, accuracy: 1e-12)
        for (x, y) in zip(m, [0.3 * 0.2 + 0.7 * 0.1, 0.3 * 0.5, 0.3 * 0.3 + 0.7 * 0.1, 0.7 * 0.8]) { XCTAssertEqual(x, y, accuracy: 1e-7) }
        // Its logits are the mixture's logarithms, so the sampler's softmax gives the mixture back.
        let mixed = try MixedModel(a, b, weight: 0.3)
        var p = [Double]()
        mixed.distribution(into: &p)
        for (x, y) in zip(p, m) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }

    func testMixedTextIsDeterministicForASeed() throws {
        let a = FixedModel([("\n", 0.2), ("a", 0.5), ("b", 0.3)])
        let b = FixedModel([("\n", 0.1), ("b", 0.1), ("c", 0.8)])
        let first = try Self.write(MixedModel(a, b), lines: 6, seed: 42)
        XCTAssertEqual(try Self.write(MixedModel(a, b), lines: 6, seed: 42), first)
        XCTAssertEqual(first.filter { $0 == "\n" }.count, 5, first)   // 6 lines; the loop drops the last newline
        XCTAssertNotEqual(try Self.write(MixedModel(a, b), lines: 6, seed: 43), first)
        // Weight 1 never writes B-only tokens.
        XCTAssertFalse(try Self.write(MixedModel(a, b, weight: 1), lines: 6, seed: 42).contains("c"))
    }

    func testTemperatureZeroPicksTheMostLikely() throws {
        let a = FixedModel([("\n", 0.2), ("a", 0.5), ("b", 0.3)])
        let r = try Generator.generate(MixedModel(a, a), GenerationRequest(stop: StopConditions(characters: 5),
                                                                           sampling: SamplingSettings(temperature: 0), seed: 1))
        XCTAssertEqual(r.text, "aaaaa")
    }

    func testStateRoundTripsThroughBothModels() throws {
        let a = ScriptedModel(letter: "a", lineLength: 3), b = ScriptedModel(letter: "b", lineLength: 5)
        let m = try MixedModel(a, b)
        m.reset()
        for t in m.encode("aab") { m.observe(t) }
        let saved = m.saveState()
        m.observe(m.encode("a")[0])
        m.restoreState(saved)
        XCTAssertEqual(a.sinceNewline, 2, "A read its own letters only")
        XCTAssertEqual(b.sinceNewline, 1, "B read its own letters only")
        XCTAssertEqual(m.saveState(), saved)
    }

    func testBadInputGivesOneLineErrors() throws {
        let a = ScriptedModel(letter: "a", lineLength: 2)
        XCTAssertThrowsError(try MixedModel(a, ScriptedModel(letter: "b", lineLength: 2), weight: 1.5)) { e in
            XCTAssertEqual("\(e)", "weight: 1.5 is outside [0, 1]")
        }
        let word = ScriptedModel(letter: "w", lineLength: 2, kind: .word, path: "w.safetensors")
        XCTAssertThrowsError(try MixedModel(ScriptedModel(letter: "a", lineLength: 2, path: "c.safetensors"), word)) { e in
            XCTAssertEqual("\(e)", "w.safetensors: is a word model but c.safetensors is a char model; blend two models of one kind")
        }
        let otherWords = ScriptedModel(letter: "v", lineLength: 2, kind: .word, path: "v.safetensors")
        XCTAssertThrowsError(try MixedModel(word, otherWords)) { e in
            XCTAssertTrue("\(e)".hasPrefix("v.safetensors: uses other word vectors than w.safetensors"))
        }
    }
}
