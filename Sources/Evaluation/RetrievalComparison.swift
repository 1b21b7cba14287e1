import Foundation
import LyricsCore
import WordModel

/// One retrieval rule of a word model (or the unigram baseline) on the held-out text.
public struct RuleScore: Codable, Equatable, Sendable {
    /// "cosine", "prior" or "unigram" (the 10 most frequent training words, always).
    public var rule: String
    /// Share of word tokens (newlines included) among the rule's 10 best-scored words.
    public var top10HitRate: Double
    /// Distinct words that made the rule's top 10 at any scored position (the unigram: 10).
    public var distinctCandidates: Int
    /// Bits per character of the text under the rule's softmax over the whole vocabulary, out-of-
    /// vocabulary words paying p(<unk>) plus the row's speller (the unigram: the training text's
    /// add-one smoothed word unigram).
    public var bitsPerCharacter: Double

    public init(rule: String, top10HitRate: Double, distinctCandidates: Int, bitsPerCharacter: Double) {
        self.rule = rule
        self.top10HitRate = top10HitRate
        self.distinctCandidates = distinctCandidates
        self.bitsPerCharacter = bitsPerCharacter
    }
}

extension Comparison {
    /// The rules of `model` and the unigram baseline on `text` (ids as the word model reads
    /// them), one list per speller (as `score(word:text:name:spellers:)` makes one row per
    /// speller; none: `text`'s own spelling). `trainIDs` is the training text in the model's
    /// vocabulary: its 10 most frequent words are the baseline, its unigram the baseline's bits.
    public static func retrieval(word model: WordModel, text: HeldOutText, trainIDs: [Int32],
                                 spellers: [any WordSpeller]) -> [[RuleScore]] {
        let V = model.table.count
        let top = WordModel.mostFrequent(trainIDs, vocabularySize: V)
        let hits = model.retrievalHits(text.ids, unigramTop: top)
        let logUnigram = RetrievalPrior.unigram(trainIDs, count: V)
        var unigramNats = 0.0
        for t in text.ids { unigramNats -= Double(logUnigram[Int(t)]) }
        let texts = spellers.isEmpty ? [text] : spellers.map { text.spelled(by: $0) }
        let n = Double(max(hits.positions, 1))
        return texts.map { t in
            var rows = [RuleScore]()
            for rule in Retrieval.allCases {
                guard let r = hits.rules[rule] else { continue }
                rows.append(RuleScore(rule: rule.rawValue, top10HitRate: Double(r.hits) / n, distinctCandidates: r.distinctCandidates,
                                      bitsPerCharacter: t.bitsPerCharacter(nats: r.stats.nats)))
            }
            rows.append(RuleScore(rule: "unigram", top10HitRate: Double(hits.unigramHits) / n, distinctCandidates: top.count,
                                  bitsPerCharacter: t.bitsPerCharacter(nats: unigramNats)))
            return rows
        }
    }
}
