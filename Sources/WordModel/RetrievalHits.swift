import Foundation
import Generation
import LyricsCore
import NeuralNet

/// How well each retrieval rule ranks the next word of a text, so the comparison can show
/// whether a rule's top 10 carries the model or only the unigram: per rule the hit count (target
/// among the 10 best-scored words, counted as the comparison's top-10 column counts: fewer than
/// 10 words scored strictly above it), the distinct words that ever made a top 10, and the
/// likelihood of the targets under the rule's softmax over the whole vocabulary ("<unk>"
/// included, so out-of-vocabulary words pay p(<unk>) plus their spelling as under any rule).
/// The unigram baseline always proposes the same 10 most frequent training words.
public struct RetrievalHits: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var hits = 0
        public var distinctCandidates = 0
        /// Negative log-likelihood of the targets under the rule (with its `<unk>`/`</s>` parts).
        public var stats = HeadStats()
    }

    /// Scored positions (word tokens of the text, newline tokens included).
    public var positions = 0
    public var rules: [Retrieval: Rule] = [:]
    public var unigramHits = 0
    /// The unigram baseline's 10 words.
    public var unigramTop: [Int32] = []
}

extension WordModel {
    /// The 10 (or `k`) most frequent words of `ids` (ties: lower id first).
    public static func mostFrequent(_ ids: [Int32], vocabularySize: Int, k: Int = OutputHead.topK) -> [Int32] {
        var counts = [Float](repeating: 0, count: vocabularySize)
        for id in ids { counts[Int(id)] += 1 }
        var heap = [Candidate]()
        counts.withUnsafeBufferPointer { Sampler.topK($0, k: k, into: &heap) }
        return heap.map(\.token)
    }

    /// Scores `ids` under every rule this model has (`cosine`; `prior` when fitted) and the
    /// unigram of `unigramTop`. Each word is predicted from those before it, the first from a
    /// newline, in `batch` streams as `score` does, so the cosine rule's hits and nats equal
    /// `score(ids)`'s.
    public func retrievalHits(_ ids: [Int32], unigramTop: [Int32]) -> RetrievalHits {
        let V = table.count, K = OutputHead.topK
        let rules: [Retrieval] = retrievalPrior == nil ? [.cosine] : [.cosine, .prior]
        var result = RetrievalHits()
        result.unigramTop = unigramTop
        let inUnigram = Set(unigramTop)
        var seen = [Retrieval: [Bool]]()
        for r in rules { seen[r] = [Bool](repeating: false, count: V); result.rules[r] = .init() }
        // Scratch, allocated once: the chunk's base scores and one row of rule logits.
        let scores = FloatBuffer(count: batch * maxSteps * V)
        let logits = FloatBuffer(count: V)
        var heap = [Candidate]()
        heap.reserveCapacity(K)
        var seq = ids
        seq.insert(table.newlineID, at: 0)
        forEachScoringChunk(of: seq) { inputs, targets, steps in
            let rows = steps * batch
            baseScores(forward(inputs, steps: steps, training: false), rows: rows, into: scores.pointer)
            for r in 0..<rows where targets[r] >= 0 {
                let t = Int(targets[r])
                let s = scores.pointer + r * V
                result.positions += 1
                if inUnigram.contains(Int32(t)) { result.unigramHits += 1 }
                for rule in rules {
                    let z = logits.pointer
                    ruleLogits(rule, base: s, into: z, afterNewline: inputs[r] == table.newlineID)
                    // Ranked by the base score for the cosine rule (kappa > 0 keeps its order and
                    // a kappa near 0 would make every word tie), by the logits for the prior.
                    let rank = rule == .cosine ? UnsafePointer(s) : UnsafePointer(z)
                    let above = RowSoftmax.maxAndCountAbove(rank, count: V, threshold: rank[t]).above
                    Sampler.topK(UnsafeBufferPointer(start: rank, count: V), k: K, into: &heap)
                    for c in heap { seen[rule]![Int(c.token)] = true }
                    let nll = RowSoftmax.negativeLogLikelihood(z, count: V, target: t)
                    result.rules[rule]!.stats.add(nats: nll.nats, target: t, table: table)
                    result.rules[rule]!.stats.count += 1
                    if above < K { result.rules[rule]!.hits += 1 }
                }
            }
        }
        for rule in rules { result.rules[rule]!.distinctCandidates = seen[rule]!.filter { $0 }.count }
        return result
    }
}
