import Foundation
import Generation
import LyricsCore
import Songwriting
import TestSupport
import XCTest

/// The studio's model work (`CoWriter`) and the draft's rules (`SongDraft`): a line's context
/// and goal from the stanzas above it, ranked distinct alternatives that meet the goal,
/// remembered contexts that change nothing, next-token probabilities and rhymes in context.
final class CoWritingTests: XCTestCase {
    static let words = SongWriterTests.rhymingWords

    func spec(_ rhyme: String? = "AABB", structure: String? = "verse chorus verse chorus", partLines: String? = "verse=4,chorus=2") throws -> SongSpec {
        try SongSpec.parse(rhyme: rhyme, syllables: nil, structure: structure, partLines: partLines, maxCopy: nil)
    }

    func testContextAndGoalFollowThePlanAndTheScheme() throws {
        let draft = SongDraft(spec: try spec(), stanzas: [["i see the light", "", "my heart is golden"], ["the day is bright", "the night"], ["a river"]])
        XCTAssertEqual(draft.plan.map(\.repeats), [nil, nil, nil, 1])
        // The repeated chorus shows the first chorus's lines; blank lines are no context.
        XCTAssertEqual(draft.lines(ofStanza: 3), ["the day is bright", "the night"])
        XCTAssertEqual(draft.context(stanza: 0, line: 3), ["i see the light", "my heart is golden"])
        XCTAssertEqual(draft.context(stanza: 2, line: 1), ["i see the light", "my heart is golden", "the day is bright", "the night", "a river"])
        XCTAssertEqual(draft.letter(line: 3).letter, "B")
        XCTAssertEqual(draft.letter(line: 3).anchor, 2)
        let pron = try Pronunciations.shared
        let writer = CoWriter(model: ScriptedWordModel(words: Self.words), pronunciations: pron, index: nil)
        XCTAssertEqual(writer.goalSummary(draft, stanza: 0, line: 3).rhymeWith, "golden")
        XCTAssertEqual(writer.goalSummary(draft, stanza: 0, line: 1).rhymeWith, "light")
        XCTAssertEqual(writer.goalSummary(draft, stanza: 1, line: 1).rhymeWith, "bright")
        XCTAssertNil(writer.goalSummary(draft, stanza: 0, line: 0).rhymeWith)
    }

    func testAlternativesAreDistinctRankedAndMeetTheGoal() throws {
        let pron = try Pronunciations.shared
        let writer = CoWriter(model: ScriptedWordModel(words: Self.words), pronunciations: pron, index: nil)
        let draft = SongDraft(spec: try spec(), stanzas: [["i see the light"]])
        let alts = try writer.alternatives(draft, stanza: 0, line: 1, count: 5, sampling: SamplingSettings(temperature: 1), seed: 4)
        XCTAssertEqual(alts.count, 5)
        XCTAssertEqual(Set(alts.map(\.text)).count, 5, "alternatives must differ")
        XCTAssertEqual(alts.map(\.score), alts.map(\.score).sorted(by: >), "best first")
        for a in alts {
            XCTAssertEqual(a.missed, [], a.text)
            let end = try XCTUnwrap(a.rhymeWord)
            XCTAssertTrue(pron.rhymes(end, "light"), "\(a.text) must rhyme with light")
            XCTAssertEqual(a.syllables, pron.syllables(of: a.text))
        }
        // A start is kept by every candidate.
        let started = try writer.alternatives(draft, stanza: 0, line: 1, start: "my heart", count: 3, sampling: SamplingSettings(temperature: 1), seed: 9)
        XCTAssertFalse(started.isEmpty)
        for a in started { XCTAssertTrue(a.text.hasPrefix("my heart "), a.text) }
    }

    /// Remembered contexts are only a shortcut: a writer that read a shorter draft before gives
    /// what a fresh writer gives, and another context gives other lines.
    func testRememberedContextsChangeNothing() throws {
        let pron = try Pronunciations.shared
        let warm = CoWriter(model: HistoryWordModel(words: Self.words), pronunciations: pron, index: nil)
        let short = SongDraft(spec: try spec(), stanzas: [["i see the light", "the night is bright"]])
        let long = SongDraft(spec: try spec(), stanzas: [["i see the light", "the night is bright", "my heart is golden"]])
        let s = SamplingSettings(temperature: 1)
        _ = try warm.alternatives(short, stanza: 0, line: 2, count: 3, sampling: s, seed: 1)
        let warmed = try warm.alternatives(long, stanza: 0, line: 3, count: 3, sampling: s, seed: 2)
        let cold = try CoWriter(model: HistoryWordModel(words: Self.words), pronunciations: pron, index: nil)
            .alternatives(long, stanza: 0, line: 3, count: 3, sampling: s, seed: 2)
        XCTAssertEqual(warmed, cold)
        let other = SongDraft(spec: try spec(), stanzas: [["a river morning", "the night is bright", "my heart is golden"]])
        let changed = try warm.alternatives(other, stanza: 0, line: 3, count: 3, sampling: s, seed: 2)
        XCTAssertNotEqual(changed.map(\.text), cold.map(\.text), "the lines above must reach the model")
        // Next words: the model's distribution after the context and the line so far.
        let next = warm.nextTokens(long, stanza: 0, line: 3, text: "the day", count: 5)
        let model = HistoryWordModel(words: Self.words)
        model.reset()
        model.observe(text: "i see the light\nthe night is bright\nmy heart is golden\nthe day")
        var p = [Double]()
        model.distribution(into: &p)
        let expected = (0..<p.count).filter { $0 > 1 }.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }.prefix(5)
        XCTAssertEqual(next.tokens.map(\.token), expected.map { model.tokens[$0] })
        for (t, i) in zip(next.tokens, expected) { XCTAssertEqual(t.probability, p[i], accuracy: 1e-6) }
        XCTAssertEqual(next.endOfLine, p[0], accuracy: 1e-6)
    }

    func testRhymesRhymeAndAreRankedByTheModel() throws {
        let pron = try Pronunciations.shared
        let writer = CoWriter(model: HistoryWordModel(words: Self.words), pronunciations: pron, index: nil)
        let draft = SongDraft(spec: try spec(), stanzas: [["i see the light"]])
        let r = writer.rhymes(with: "light", draft, stanza: 0, line: 1, text: "my heart is", count: 10)
        XCTAssertEqual(Set(r.map(\.word)), ["night", "bright", "sight", "fight"])
        XCTAssertEqual(r.map(\.probability), r.map(\.probability).sorted(by: >))
        XCTAssertTrue(r.allSatisfy { $0.probability > 0 && $0.syllables == 1 })
        XCTAssertEqual(writer.rhymes(with: "day", draft, stanza: 0, line: 1, text: "", count: 2).count, 2)
    }

    func testAnalysisCountsSyllablesAndChecksRhymes() throws {
        let pron = try Pronunciations.shared
        let draft = SongDraft(spec: try spec(), stanzas: [["i see the light", "the night is golden"], ["the day is bright", "my heart will stay"]])
        let a = draft.analysis(pronunciations: pron, index: nil)
        XCTAssertEqual(a.map(\.count), [4, 2, 4, 2], "every line of the plan, the repeated chorus and unwritten lines too")
        XCTAssertEqual(a[2].map(\.letter), ["A", "A", "B", "B"])
        XCTAssertEqual(a[2][0].syllables, 0)
        XCTAssertNil(a[2][1].rhymes, "no verdict on an unwritten line")
        XCTAssertEqual(a[0][0].syllables, 4)
        XCTAssertEqual(a[0][1].letter, "A")
        XCTAssertEqual(a[0][1].rhymesWith, .init(stanza: 0, line: 0))
        XCTAssertEqual(a[0][1].rhymes, false, "golden does not rhyme with light")
        XCTAssertEqual(a[1][1].rhymes, false)
        XCTAssertEqual(a[3][0].rhymeWord, "bright")
        let index = OriginalityIndex.build(text: "nothing here\ni see the light\n")
        let flagged = SongDraft(spec: try spec(), stanzas: [["i see the light", "the night"]]).analysis(pronunciations: pron, index: index)
        XCTAssertEqual(flagged[0][0].copied?.exactCopy?.line, 2)
        XCTAssertNil(flagged[0][1].copied)
    }
}

/// A word model whose state is a hash of everything read since `reset`, so what it offers
/// depends on the whole context; lines end after four words.
final class HistoryWordModel: TokenModel {
    let kind = ModelKind.word
    let path = "history-words"
    let tokens: [String]
    let newlineToken: Int32 = 0
    let forbiddenTokens: [Int32] = [1]
    private var hash: UInt64 = 0
    private var wordsInLine: Float = 0

    init(words: [String]) { tokens = ["\n", "<unk>"] + words }
    func reset() { hash = 1469598103934665603; wordsInLine = 0; observe(0) }
    func observe(_ token: Int32) {
        hash = (hash ^ UInt64(token + 1)) &* 1099511628211
        wordsInLine = token == 0 ? 0 : wordsInLine + 1
    }
    func encode(_ text: String) -> [Int32] {
        var ids = [Int32]()
        WordTokenizer.forEachToken(in: text) { t in ids.append(t == "</s>" ? 0 : Int32(tokens.firstIndex(of: t) ?? 1)) }
        return ids
    }
    func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<logits.count { logits[i] = Float((hash >> UInt64(i % 48)) & 7) * 0.3 }
        logits[0] = wordsInLine < 4 ? -4 : 1
    }
    func saveState() -> [Float] {
        [Float(hash & 0xFFFF), Float((hash >> 16) & 0xFFFF), Float((hash >> 32) & 0xFFFF), Float(hash >> 48), wordsInLine]
    }
    func restoreState(_ s: [Float]) {
        hash = UInt64(s[0]) | UInt64(s[1]) << 16 | UInt64(s[2]) << 32 | UInt64(s[3]) << 48
        wordsInLine = s[4]
    }
}
