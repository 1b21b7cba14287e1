import Foundation

/// The comparison's retrieval and sample-quality tables, for stdout and the report.
extension ComparisonReport {
    static let retrievalHeaders = ["model", "rule", "top-10 hits", "distinct candidates", "bits/char"]

    /// One row per rule of every word model (rows of the n-gram speller, or of the only speller).
    static func retrievalRows(_ scores: [ModelScore]) -> [[String]] {
        let withRules = scores.filter { $0.retrieval != nil }
        let shown = withRules.filter { $0.speller == "ngram" }.isEmpty ? withRules : withRules.filter { $0.speller == "ngram" }
        return shown.flatMap { s in
            s.retrieval!.map { r in
                [label(s), r.rule == "unigram" ? "unigram (10 most frequent training words)" : r.rule,
                 String(format: "%.1f%%", 100 * r.top10HitRate), String(r.distinctCandidates), String(format: "%.4f", r.bitsPerCharacter)]
            }
        }
    }

    public static func retrievalTextTable(_ scores: [ModelScore]) -> String {
        aligned(headers: retrievalHeaders, rows: retrievalRows(scores))
    }

    static let qualityHeaders = ["model", "text", "T", "lines", "words/line", "distinct-1", "distinct-2", "repeated lines",
                                 "lines repeating a word >2x", "judge bits/char", "longest training run", "exact training lines"]

    /// The held-out reference once, then every model's samples (each model once, whatever its
    /// number of speller rows).
    static func qualityRows(_ scores: [ModelScore]) -> [[String]] {
        var rows = [[String]](), seen = Set<String>(), referenceShown = false
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "–" }
        func num(_ x: Double?, _ f: String) -> String { x.map { String(format: f, $0) } ?? "–" }
        for s in scores where s.samples != nil && seen.insert(s.name).inserted {
            for q in s.samples! {
                let isReference = q.source == "held-out"
                if isReference && referenceShown { continue }
                if isReference { referenceShown = true }
                var model = s
                model.speller = nil   // the samples do not depend on the speller
                rows.append([isReference ? "real lines" : label(model),
                             isReference ? "held-out" : (q.retrieval.map { "samples, \($0) rule" } ?? "samples"),
                             num(q.temperature, "%.1f"), String(q.lines), String(format: "%.2f", q.wordsPerLine),
                             num(q.distinct1, "%.3f"), num(q.distinct2, "%.3f"), pct(q.repeatedLineShare), pct(q.repeatedWordLineShare),
                             num(q.judgeBitsPerCharacter, "%.3f"), q.longestTrainingRun.map(String.init) ?? "–", pct(q.trainingLineShare)])
            }
        }
        return rows
    }

    public static func qualityTextTable(_ scores: [ModelScore]) -> String {
        aligned(headers: qualityHeaders, rows: qualityRows(scores))
    }

    static let qualityExplanation = "Sample quality: each model writes the same number of lines from an empty prompt with one seed at each temperature T (word models: under each retrieval rule they have, with the rule's default top-k: the 10 best words for the cosine rule, all words for the prior rule); lines = non-empty lines. distinct-n = distinct word n-grams / all n-grams (within lines); repeated lines = lines that repeat an earlier line of the same sample; judge bits/char = bits per character an independent char model (trained with another seed on the training split, writing none of the samples) gives the text, read as one stream; longest training run = the longest run of words (3 or more) a line shares with one training line, exact training lines = lines that are a training line word for word. The first row measures the real held-out lines the same way."

    static let retrievalExplanation = "Retrieval rules on the held-out text: top-10 hits = share of word tokens (line breaks included) among the rule's 10 best-scored words; distinct candidates = distinct words that made a top 10 at any position (a rule that always proposes the same frequent words has few); bits/char = the text under the rule's softmax over the whole vocabulary (n-gram speller for unknown words). The unigram row always proposes the 10 most frequent training words: a rule no better than it carries no information from the model."
}
