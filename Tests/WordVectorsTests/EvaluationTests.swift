import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// Queries and evaluation on hand-made vectors with known answers; Spearman against scipy.
final class EvaluationTests: XCTestCase {
    /// king − man + woman lands exactly on queen; "ruler" is near king but not the answer.
    static let handMade = """
    7 3
    man 1 0 0
    woman 1 1 0
    king 1 0 1
    queen 1 1 1
    ruler 0.9 0 1.1
    apple 0 0 -1
    pear 0 0.1 -1

    """

    func embedding() throws -> WordEmbedding {
        try VectorFile.parse(Data(Self.handMade.utf8), file: "hand.vec", format: .text)
    }

    func testNeighborsAndAnalogy() throws {
        let e = try embedding()
        let n = e.neighbors(of: ["apple", "nope"], n: 2)
        XCTAssertEqual(n[0]?.first?.word, "pear")
        XCTAssertNil(n[1])
        XCTAssertEqual(n[0]!.count, 2)
        XCTAssertFalse(n[0]!.contains { $0.word == "apple" })
        let a = try XCTUnwrap(e.analogy("man", "king", "woman", n: 3))
        XCTAssertEqual(a.first?.word, "queen")
        XCTAssertFalse(a.contains { ["man", "king", "woman"].contains($0.word) })
        XCTAssertNil(e.analogy("man", "king", "unknown", n: 1))
        // The cosine is the one of unit(b) - unit(a) + unit(c) with the answer's unit vector.
        XCTAssertGreaterThan(a.first!.cosine, 0.9)
    }

    func testAnalogyEvaluationCountsSectionsAndCoverage() throws {
        let dir = WV.tempDir(self)
        WV.write("""
        : royal
        Man King Woman Queen
        Woman Queen Man King
        man king woman ruler
        : fruit
        man king pear apple
        apple pear banana cherry

        """, dir + "/q.txt")
        let r = try Evaluation.analogies(try embedding(), file: dir + "/q.txt")
        XCTAssertEqual(r.sections.map(\.name), ["royal", "fruit"])
        XCTAssertEqual(r.sections[0].correct, 2)
        XCTAssertEqual(r.sections[0].incorrect, 1)
        XCTAssertEqual(r.sections[1].skipped, 1)
        XCTAssertEqual(r.total.correct + r.total.incorrect, 4)
        XCTAssertEqual(r.total.coverage, 0.8, accuracy: 1e-12)
        // Restricting the vocabulary to the 3 most frequent (first) words skips everything.
        let small = try Evaluation.analogies(try embedding(), file: dir + "/q.txt", restrictVocab: 3)
        XCTAssertEqual(small.total.skipped, 5)
        WV.write("man king woman\n", dir + "/bad.txt")
        WV.assertError(try Evaluation.analogies(try embedding(), file: dir + "/bad.txt"), file: dir + "/bad.txt", contains: "expected 4 words")
        WV.assertError(try Evaluation.analogies(try embedding(), file: dir + "/none.txt"), file: dir + "/none.txt", contains: "no such file")
    }

    func testWordPairsSpearmanWithCoverage() throws {
        let dir = WV.tempDir(self)
        WV.write("# comment\nking\tqueen\t9\nKing\truler\t8\napple\tpear\t7\nman\tapple\t1\nxx\tyy\t5\n", dir + "/p.tsv")
        let e = try embedding()
        let r = try Evaluation.pairs(e, file: dir + "/p.tsv")
        XCTAssertEqual(r.pairs, 5)
        XCTAssertEqual(r.used, 4)
        func cos(_ a: String, _ b: String) -> Double { Double(zip(e.unitVector(a)!, e.unitVector(b)!).reduce(0) { $0 + $1.0 * $1.1 }) }
        let expected = Evaluation.spearman([9, 8, 7, 1], [cos("king", "queen"), cos("king", "ruler"), cos("apple", "pear"), cos("man", "apple")])
        XCTAssertEqual(r.spearman, expected, accuracy: 1e-12)
    }

    func testSpearmanMatchesScipyGolden() throws {
        struct Case: Decodable { var x: [Double]; var y: [Double]; var rho: Double }
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: URL(fileURLWithPath: WV.fixture("spearman_golden.json"))))
        XCTAssertEqual(cases.count, 2)
        for c in cases { XCTAssertEqual(Evaluation.spearman(c.x, c.y), c.rho, accuracy: 1e-12) }
        XCTAssertEqual(Evaluation.ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2])
        XCTAssertTrue(Evaluation.spearman([1, 1], [1, 2]).isNaN)
    }

    func testBundledEvaluationFilesParse() throws {
        let q = try Evaluation.parseAnalogies(WV.repo("corpora/word-eval/questions-words.txt"))
        XCTAssertEqual(q.count, 19_544)
        XCTAssertEqual(Set(q.map(\.section)).count, 14)
        XCTAssertEqual(try Evaluation.parsePairs(WV.repo("corpora/word-eval/wordsim353.tsv")).count, 353)
        XCTAssertEqual(try Evaluation.parsePairs(WV.repo("corpora/word-eval/simlex999.txt")).count, 999)
        XCTAssertEqual(try Evaluation.parsePairs(WV.repo("corpora/word-eval/men.txt")).count, 3000)
    }
}
