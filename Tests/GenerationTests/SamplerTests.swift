import Generation
import LyricsCore
import XCTest

/// The sampler's pure functions against simple references, and the generation loop's stop
/// conditions over a scripted model.
final class SamplerTests: XCTestCase {
    func randomLogits(_ n: Int, seed: UInt64) -> [Float] {
        var r = SeededRandom(seed: seed)
        return (0..<n).map { _ in Float(r.nextGaussian()) * 3 }
    }

    func testTopKEqualsSortingReference() {
        var heap = [Candidate]()
        for (n, k) in [(1, 1), (29, 5), (500, 10), (500, 500), (1000, 1)] {
            let logits = randomLogits(n, seed: UInt64(n * 31 + k))
            logits.withUnsafeBufferPointer { Sampler.topK($0, k: k, excluding: [3], into: &heap) }
            let reference = logits.indices.filter { $0 != 3 }.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
                .prefix(k).map { Int32($0) }
            XCTAssertEqual(heap.map(\.token), Array(reference), "n \(n) k \(k)")
        }
        // Ties keep the lower id first; -infinity is never a candidate.
        let tied: [Float] = [1, 2, 2, -.infinity, 2]
        tied.withUnsafeBufferPointer { Sampler.topK($0, k: 5, into: &heap) }
        XCTAssertEqual(heap.map(\.token), [1, 2, 4, 0])
    }

    func testSoftmaxNucleusAndDraw() {
        var p = [Double]()
        Sampler.softmax([Candidate(token: 0, logit: log(3)), Candidate(token: 1, logit: 0)], temperature: 1, into: &p)
        XCTAssertEqual(p[0], 0.75, accuracy: 1e-7)
        Sampler.softmax([Candidate(token: 0, logit: log(3)), Candidate(token: 1, logit: 0)], temperature: 0.5, into: &p)
        XCTAssertEqual(p[0], 0.9, accuracy: 1e-7, "T = 0.5 squares the odds: 9 : 1")
        XCTAssertEqual(Sampler.nucleusCount([0.5, 0.3, 0.2], topP: 0.5), 1)
        XCTAssertEqual(Sampler.nucleusCount([0.5, 0.3, 0.2], topP: 0.79), 2)
        XCTAssertEqual(Sampler.nucleusCount([0.5, 0.3, 0.2], topP: 1), 3)
        XCTAssertEqual(Sampler.draw([0.5, 0.3, 0.2], count: 3, u: 0.49), 0)
        XCTAssertEqual(Sampler.draw([0.5, 0.3, 0.2], count: 3, u: 0.5), 1)
        XCTAssertEqual(Sampler.draw([0.5, 0.3, 0.2], count: 2, u: 0.7), 1, "renormalised over the nucleus")
    }

    func testRepetitionPenaltyFollowsCTRL() {
        var logits: [Float] = [2, -2, 1, 0.5]
        logits.withUnsafeMutableBufferPointer { Sampler.penalize($0, recent: [0, 1, 1], penalty: 2) }
        XCTAssertEqual(logits, [1, -4, 1, 0.5])
    }

    func testSampleFrequenciesMatchTheDistribution() {
        // Top-k 2 at temperature 1 over logits log(3), log(1), log(0.5): draws 0 with p 0.75.
        var scratch = Sampler.Scratch()
        var random = SeededRandom(seed: 9)
        var zero = 0
        let n = 20_000
        for _ in 0..<n {
            var logits: [Float] = [Float(log(3.0)), 0, Float(log(0.5))]
            let t = logits.withUnsafeMutableBufferPointer {
                Sampler.sample($0, settings: SamplingSettings(temperature: 1, topK: 2), recent: [], excluding: [], random: &random, scratch: &scratch)
            }
            XCTAssertNotEqual(t, 2)
            if t == 0 { zero += 1 }
        }
        XCTAssertEqual(Double(zero) / Double(n), 0.75, accuracy: 0.01)
    }

    func testSettingsProblemsNameTheField() {
        XCTAssertEqual(SamplingSettings(topP: 0).problem(), "top-p: must be in (0, 1]")
        XCTAssertEqual(SamplingSettings(topP: 1.5).problem(), "top-p: must be in (0, 1]")
        XCTAssertEqual(SamplingSettings(repetitionPenalty: -1).problem(), "repetition-penalty: must be at least 1 (1 = off)")
        XCTAssertEqual(SamplingSettings(topK: 0).problem(), "top-k: must be at least 1")
        XCTAssertNil(SamplingSettings().problem())
        XCTAssertEqual(StopConditions(lines: 0).problem(), "lines: must be at least 1")
    }

    func testGeneratorStopsAndRepeats() throws {
        let m = ScriptedModel()
        let r = try Generator.generate(m, GenerationRequest(stop: StopConditions(lines: 3), sampling: SamplingSettings(temperature: 1), seed: 4))
        XCTAssertEqual(r.generated.split(separator: "\n", omittingEmptySubsequences: false).count, 3)
        XCTAssertEqual(r.stopReason, "lines")
        XCTAssertEqual(try Generator.generate(m, GenerationRequest(stop: StopConditions(lines: 3), seed: 4)).text,
                       try Generator.generate(m, GenerationRequest(stop: StopConditions(lines: 3), seed: 4)).text)
        let w = try Generator.generate(m, GenerationRequest(stop: StopConditions(words: 5), seed: 1))
        XCTAssertEqual(w.generated.split(whereSeparator: { $0 == " " || $0 == "\n" }).count, 5)
        let c = try Generator.generate(m, GenerationRequest(stop: StopConditions(characters: 7), seed: 1))
        XCTAssertEqual(c.generated.count, 7)
        let s = try Generator.generate(m, GenerationRequest(stop: StopConditions(maxTokens: 100, stopWords: ["ab"]), seed: 2))
        // Seed 2 writes the word "ab" well within 100 tokens: the stop word must end it there.
        XCTAssertEqual(s.stopReason, "stop-word", s.generated)
        XCTAssertTrue(s.generated.hasSuffix("ab ") || s.generated.hasSuffix("ab\n"), s.generated)
        XCTAssertLessThan(s.generated.count, 100, s.generated)
        XCTAssertThrowsError(try Generator.generate(m, GenerationRequest(stop: StopConditions(lines: 2), sampling: SamplingSettings(topP: 2))))
    }
}

/// A char-level model whose next-character scores depend only on the last character: it writes
/// short words of a and b separated by spaces and newlines.
final class ScriptedModel: TokenModel {
    let kind = ModelKind.char
    let path = "scripted"
    let tokens = ["a", "b", " ", "\n"]
    let newlineToken: Int32 = 3
    let forbiddenTokens: [Int32] = []
    var last: Int32 = 3

    func reset() { last = 3 }
    func observe(_ token: Int32) { last = token }
    func encode(_ text: String) -> [Int32] { text.compactMap { c in tokens.firstIndex(of: String(c)).map { Int32($0) } } }
    func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        let table: [[Float]] = [[0, 1, 1, 0.2], [1, 0, 1, 0.2], [1, 1, -5, -5], [1, 1, -5, -5]]
        for i in 0..<4 { logits[i] = table[Int(last)][i] }
    }
    func saveState() -> [Float] { [Float(last)] }
    func restoreState(_ state: [Float]) { last = Int32(state[0]) }
}
