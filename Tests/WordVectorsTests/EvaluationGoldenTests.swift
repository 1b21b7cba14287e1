import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// Our evaluator gives gensim 4.4's figures: analogy counts from `evaluate_word_analogies` and
/// Spearman/Pearson/pairs used from `evaluate_word_pairs`, on a tiny fixture with case variants,
/// out-of-vocabulary words, words past the analogy cut-off, tied scores, tab- and
/// space-separated pair files. Golden numbers: scripts/fixtures/eval_golden.py (runs gensim).
final class EvaluationGoldenTests: XCTestCase {
    struct Golden: Decodable {
        struct Section: Decodable { var name: String; var correct: Int; var incorrect: Int }
        struct Analogies: Decodable { var restrictVocab: Int; var accuracy: Double; var sections: [Section] }
        struct Pairs: Decodable {
            var file: String; var restrictVocab: Int; var pairs: Int; var used: Int; var spearman: Double; var pearson: Double
        }
        var analogies: Analogies
        var pairs: [Pairs]
    }

    func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: URL(fileURLWithPath: WV.fixture("eval_golden.json"))))
    }

    func testAnalogiesMatchGensim() throws {
        let g = try golden()
        let e = try VectorFile.read(WV.fixture("eval-tiny.vec"))
        let r = try Evaluation.analogies(e, file: WV.fixture("eval-analogies.txt"), restrictVocab: g.analogies.restrictVocab)
        // gensim lists the sections, then the total.
        XCTAssertEqual(r.sections.map(\.name) + ["Total accuracy"], g.analogies.sections.map(\.name))
        XCTAssertEqual((r.sections + [r.total]).map(\.correct), g.analogies.sections.map(\.correct))
        XCTAssertEqual((r.sections + [r.total]).map(\.incorrect), g.analogies.sections.map(\.incorrect))
        XCTAssertEqual(r.total.accuracy, g.analogies.accuracy, accuracy: 1e-12)
        // The fixture exercises both outcomes and the cut-off / unknown-word skips.
        XCTAssertGreaterThan(r.total.correct, 0)
        XCTAssertGreaterThan(r.total.incorrect, 0)
        XCTAssertEqual(r.total.skipped, 2)
        XCTAssertEqual(r.restrictVocab, 20)
    }

    func testWordPairsMatchGensim() throws {
        let g = try golden()
        let e = try VectorFile.read(WV.fixture("eval-tiny.vec"))
        XCTAssertEqual(g.pairs.count, 4)
        for p in g.pairs {
            let r = try Evaluation.pairs(e, file: WV.fixture(p.file), restrictVocab: p.restrictVocab)
            let what = "\(p.file) restrict \(p.restrictVocab)"
            XCTAssertEqual(r.pairs, p.pairs, what)
            XCTAssertEqual(r.used, p.used, what)
            XCTAssertEqual(r.spearman, p.spearman, accuracy: 1e-9, what)
            XCTAssertEqual(r.pearson, p.pearson, accuracy: 1e-6, what)
            XCTAssertEqual(r.restrictVocab, min(p.restrictVocab, e.count), what)
        }
        // The default is gensim's (300000: every word here), not the analogies' cut-off.
        let d = try Evaluation.pairs(e, file: WV.fixture("eval-pairs.tsv"))
        let full = try XCTUnwrap(g.pairs.first { $0.file == "eval-pairs.tsv" && $0.restrictVocab == 300_000 })
        XCTAssertEqual(d.used, full.used)
        XCTAssertEqual(d.spearman, full.spearman, accuracy: 1e-9)
    }

    func testCaseFoldingKeepsTheMostFrequentVariant() {
        let e = WV.randomEmbedding(words: ["sea", "Sea", "SEA", "Night", "night"], dim: 3)
        let folded = Evaluation.foldedIndex(e, limit: 5)
        XCTAssertEqual(folded, ["SEA": 0, "NIGHT": 3])
        XCTAssertEqual(Evaluation.foldedIndex(e, limit: 2), ["SEA": 0])
    }

    func testMalformedPairLineIsRefused() {
        let dir = WV.tempDir(self)
        WV.write("# ok\nking\tqueen\t8\nking\tqueen\n", dir + "/two.tsv")
        WV.assertError(try Evaluation.parsePairs(dir + "/two.tsv"), file: dir + "/two.tsv", contains: "line 3: expected")
        WV.write("king\tqueen\tmany\n", dir + "/word.tsv")
        WV.assertError(try Evaluation.parsePairs(dir + "/word.tsv"), file: dir + "/word.tsv", contains: "line 1: expected")
        WV.write("# only a comment\n\n", dir + "/none.tsv")
        WV.assertError(try Evaluation.parsePairs(dir + "/none.tsv"), file: dir + "/none.tsv", contains: "no word pairs")
    }

    /// `lyrics vectors evaluate --json` reports the same figures and each set's cut-off.
    func testCommandReportsBothCutoffs() throws {
        let g = try golden()
        let args = ["vectors", "evaluate", "--vectors", WV.fixture("eval-tiny.vec"), "--analogies", WV.fixture("eval-analogies.txt"),
                    "--pairs", WV.fixture("eval-pairs.tsv"), "--pairs", WV.fixture("eval-pairs-spaces.txt"),
                    "--restrict-vocab", "20", "--json"]
        let r = try WV.runLyrics(args, from: Self.self)
        XCTAssertEqual(r.status, 0, r.err)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let analogies = try XCTUnwrap(report["analogies"] as? [String: Any])
        XCTAssertEqual(analogies["restrictVocab"] as? Int, 20)
        XCTAssertEqual((analogies["total"] as? [String: Any])?["correct"] as? Int, g.analogies.sections.last?.correct)
        let pairs = try XCTUnwrap(report["pairs"] as? [[String: Any]])
        XCTAssertEqual(pairs.map { $0["restrictVocab"] as? Int }, [40, 40])
        for (p, file) in zip(pairs, ["eval-pairs.tsv", "eval-pairs-spaces.txt"]) {
            let want = try XCTUnwrap(g.pairs.first { $0.file == file && $0.restrictVocab == 300_000 })
            XCTAssertEqual(p["used"] as? Int, want.used)
            XCTAssertEqual(try XCTUnwrap(p["spearman"] as? Double), want.spearman, accuracy: 1e-9)
        }
        let text = try WV.runLyrics(Array(args.dropLast()) + ["--pairs-restrict-vocab", "20"], from: Self.self)
        XCTAssertEqual(text.status, 0, text.err)
        XCTAssertTrue(text.out.contains("among the 20 most frequent words (cut-off 20)"), text.out)
        XCTAssertTrue(text.out.contains("words among the 20 most frequent (cut-off 20)"), text.out)
        let cut = try XCTUnwrap(g.pairs.first { $0.file == "eval-pairs.tsv" && $0.restrictVocab == 20 })
        XCTAssertTrue(text.out.contains("on \(cut.used) of \(cut.pairs) pairs"), text.out)
    }
}
