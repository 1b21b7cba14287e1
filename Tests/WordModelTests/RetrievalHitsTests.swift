import Foundation
import XCTest
import LyricsCore
import NeuralNet
import Generation
import TestSupport
@testable import WordModel

/// Top-10 hits, distinct candidates and likelihood per retrieval rule, counted on a tiny model
/// and checked against brute force over the full score matrix (`baseScores`) and against the
/// comparison's own scoring (`score`) for the cosine rule.
final class RetrievalHitsTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    /// Brute force: the 10 best of a row (ties: lower id first), and the rank of the target.
    static func top10(_ row: ArraySlice<Float>) -> [Int] {
        let base = row.startIndex
        return row.indices.map { $0 - base }.sorted { row[base + $0] != row[base + $1] ? row[base + $0] > row[base + $1] : $0 < $1 }
            .prefix(10).map { $0 }
    }

    func check(_ loss: WordLoss) throws {
        let t = try Tiny.trainer(loss, dropout: 0)
        try t.run(maxSteps: 6)
        let table = t.model.table
        // Batch 1, so the score matrix's rows come in text order and each row's input is known.
        let model = WordModel(config: t.model.config, table: table, batch: 1, maxSteps: 5, seed: 0, initialize: false)
        model.copyParameters(from: t.model)
        let ids = table.encode(Tiny.text)
        let V = table.count
        let unigram = RetrievalPrior.unigram(ids, count: V)
        model.retrievalPrior = RetrievalPrior(scale: 1.7, weight: 0.6, logPrior: unigram)
        let top = WordModel.mostFrequent(ids, vocabularySize: V)
        XCTAssertEqual(top.count, 10)
        var counts = [Int](repeating: 0, count: V)
        for id in ids { counts[Int(id)] += 1 }
        XCTAssertEqual(Set(top.map { Int($0) }), Set(Array(0..<V).sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }.prefix(10)))

        let got = model.retrievalHits(ids, unigramTop: top)
        XCTAssertEqual(got.positions, ids.count)

        // The cosine rule is the comparison's own accounting.
        let reference = model.score(ids)
        XCTAssertEqual(got.rules[.cosine]?.hits, reference.hits)
        XCTAssertEqual(got.rules[.cosine]!.stats.nats, reference.nats, accuracy: 1e-3 * reference.nats)
        XCTAssertEqual(got.rules[.cosine]!.stats.newlineNats, reference.newlineNats, accuracy: 1e-3 * max(reference.newlineNats, 1))

        // Brute force over the full matrix.
        let (scores, targets) = model.baseScores(ids, limit: ids.count)
        XCTAssertEqual(targets.count, ids.count)
        let p = model.retrievalPrior!
        var hits = [Retrieval: Int](), seen = [Retrieval: Set<Int>](), nats = 0.0, unigramHits = 0
        let inputs = [table.newlineID] + ids
        for (i, target) in targets.enumerated() {
            let s = scores[(i * V)..<((i + 1) * V)]
            var prior = s.indices.map { p.scale * s[$0] + p.weight * unigram[$0 - i * V] }
            // The prior rule writes no empty line.
            if inputs[i] == table.newlineID { prior[Int(table.newlineID)] = -.infinity }
            for (rule, row) in [(Retrieval.cosine, Array(s)), (.prior, prior)] {
                let best = Self.top10(row[...])
                if best.contains(Int(target)) { hits[rule, default: 0] += 1 }
                seen[rule, default: []].formUnion(best)
            }
            let m = Double(prior.max()!)
            nats += Foundation.log(prior.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) }) - (Double(prior[Int(target)]) - m)
            if top.contains(target) { unigramHits += 1 }
        }
        for rule in [Retrieval.cosine, .prior] {
            XCTAssertEqual(got.rules[rule]?.hits, hits[rule], "\(loss) \(rule)")
            XCTAssertEqual(got.rules[rule]?.distinctCandidates, seen[rule]?.count, "\(loss) \(rule)")
        }
        XCTAssertEqual(got.rules[.prior]!.stats.nats, nats, accuracy: 1e-4 * nats)
        XCTAssertEqual(got.unigramHits, unigramHits)
        XCTAssertGreaterThan(got.unigramHits, 0)

        // Without a fitted prior only the cosine rule is scored.
        model.retrievalPrior = nil
        XCTAssertEqual(Array(model.retrievalHits(ids, unigramTop: top).rules.keys), [.cosine])
    }

    func testVMFRulesMatchBruteForce() throws { try check(.vmf) }
    func testCosineRulesMatchBruteForce() throws { try check(.cosine) }
}

/// The prior rule's fit on a collapsed model: scores that barely change between positions and
/// mostly repeat the unigram (the cosine model after a short run). Plain Newton from (1, 0)
/// overshoots there; the line-searched fit must end at the optimum, never worse than the start
/// or the unigram alone.
final class RetrievalPriorFitTests: XCTestCase {
    func testFitOnCollapsedScoresReachesTheOptimum() {
        let V = 300, N = 400
        var r = SeededRandom(seed: 4)
        let counts = (0..<V).map { 1000 / Double($0 + 1) }
        let total = counts.reduce(0, +)
        let logPrior = counts.map { Float(log($0 / total)) }
        var scores = [Float](), targets = [Int32]()
        for _ in 0..<N {
            scores += (0..<V).map { 0.9 + 0.01 * logPrior[$0] + 0.0005 * Float(r.nextGaussian()) }
            var u = r.nextDouble() * total
            var t = 0
            for i in 0..<V { u -= counts[i]; if u < 0 { t = i; break } }
            targets.append(Int32(t))
        }
        let f = RetrievalPrior.fit(scores: scores, targets: targets, logPrior: logPrior, excluded: nil)
        func nll(_ a: Double, _ l: Double) -> Double {
            RetrievalPrior.objective(scores: scores, targets: targets, logPrior: logPrior, excluded: nil, a: a, lam: l).nll
        }
        let best = nll(Double(f.scale), Double(f.weight))
        XCTAssertEqual(best / Double(N) / log(2.0), f.bitsPerToken, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(best, nll(1, 0))
        XCTAssertLessThanOrEqual(best, nll(0, 1) + 1e-6 * abs(nll(0, 1)))
        // At the optimum the gradient vanishes (relative to its size at the start).
        let g = RetrievalPrior.objective(scores: scores, targets: targets, logPrior: logPrior, excluded: nil,
                                         a: Double(f.scale), lam: Double(f.weight)).g
        let g0 = RetrievalPrior.objective(scores: scores, targets: targets, logPrior: logPrior, excluded: nil, a: 1, lam: 0).g
        XCTAssertLessThan(abs(g.1), 1e-3 * abs(g0.1))
        XCTAssertTrue(f.scale.isFinite && f.weight.isFinite)
        XCTAssertGreaterThan(f.weight, 0.3, "the unigram carries these targets")
    }
}

/// The prior rule writes no empty line and samples from all words by default; the cosine rule
/// keeps the notebook's 10 nearest.
final class PriorRuleWritingTests: XCTestCase {
    func testNoEmptyLineAndDefaultTopK() throws {
        let t = try Tiny.trainer(.cosine, dropout: 0)
        try t.run(maxSteps: 3)
        let table = t.model.table
        let model = WordModel(config: t.model.config, table: table, batch: 1, maxSteps: 1, seed: 0, initialize: false)
        model.copyParameters(from: t.model)
        // A prior that all but forces "</s>": without the rule every line would be empty.
        var logPrior = [Float](repeating: -30, count: table.count)
        logPrior[Int(table.newlineID)] = 0
        model.retrievalPrior = RetrievalPrior(scale: 1, weight: 1, logPrior: logPrior)
        let prior = try WordTokenModel(model: model, path: "tiny", retrieval: .prior)
        XCTAssertNil(prior.defaultTopK)
        XCTAssertEqual(try WordTokenModel(model: model, path: "tiny", retrieval: .cosine).defaultTopK, 10)
        let text = try Generator.generate(prior, GenerationRequest(stop: StopConditions(lines: 6), sampling: SamplingSettings(temperature: 1), seed: 3)).text
        XCTAssertEqual(text.split(separator: "\n", omittingEmptySubsequences: false).count, 6, text)
        XCTAssertFalse(text.contains("\n\n"), text)
        XCTAssertFalse(text.hasPrefix("\n"), text)
        // The line-start flag is part of the saved state.
        prior.reset()
        let atStart = prior.saveState()
        prior.observe(table.id("shall"))
        prior.restoreState(atStart)
        var logits = [Float](repeating: 0, count: table.count)
        logits.withUnsafeMutableBufferPointer { prior.logits(into: $0) }
        XCTAssertEqual(logits[Int(table.newlineID)], -.infinity)
    }
}
