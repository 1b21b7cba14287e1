import Foundation
import LyricsCore

/// Accuracy on one section of an analogy set.
public struct AnalogySection: Sendable, Codable, Equatable {
    public var name: String
    public var correct = 0
    public var incorrect = 0
    /// Questions skipped because a word is outside the (restricted) vocabulary.
    public var skipped = 0
    public var total: Int { correct + incorrect + skipped }
    public var accuracy: Double { correct + incorrect > 0 ? Double(correct) / Double(correct + incorrect) : 0 }
    public var coverage: Double { total > 0 ? Double(correct + incorrect) / Double(total) : 0 }

    public init(name: String) { self.name = name }
}

public struct AnalogyResult: Sendable, Codable {
    public var file: String
    public var restrictVocab: Int
    public var sections: [AnalogySection]
    public var total: AnalogySection
}

/// Spearman correlation of model cosines with human scores on a word-pair set.
public struct PairResult: Sendable, Codable {
    public var file: String
    /// Only the `restrictVocab` most frequent words count as known (all of them by default).
    public var restrictVocab: Int
    /// Pairs in the file.
    public var pairs: Int
    /// Pairs with both words known; the others are skipped (gensim's dummy4unknown=False).
    public var used: Int
    public var spearman: Double
    public var pearson: Double
    public var coverage: Double { pairs > 0 ? Double(used) / Double(pairs) : 0 }
}

/// The standard intrinsic evaluations, done the way gensim 4.4's `evaluate_word_analogies` and
/// `evaluate_word_pairs` do them (case_insensitive=True, dummy4unknown=False), so our vectors and
/// gensim's can be scored by one evaluator and our figures equal gensim's on the same file:
/// - words match case-insensitively: every word is compared in upper case, and a vocabulary word
///   stands for all its case variants when it is the first (most frequent) of them;
/// - only the `restrictVocab` most frequent words are known; an item with an unknown word is
///   skipped (reported as coverage);
/// - an analogy's answer is the 3CosAdd nearest word whose upper case is none of the three inputs';
/// - a pair set scores Spearman's rho (average ranks for ties, scipy.stats.spearmanr) between the
///   human scores and the cosines of the known pairs.
/// The cut-offs differ as they do in common use: analogies keep word2vec.c's 30,000 (gensim's own
/// default, 300,000, makes the score depend on how rare the vocabulary's tail is), pairs use
/// gensim's 300,000, i.e. every word of a corpus-sized vocabulary.
public enum Evaluation {
    /// word2vec.c's compute-accuracy threshold for analogies; gensim's own default is 300000.
    public static let defaultRestrictVocab = 30_000
    /// gensim's `evaluate_word_pairs` default.
    public static let defaultPairRestrictVocab = 300_000

    /// gensim's case-insensitive vocabulary, `{k.upper(): index for k in reversed(first limit keys)}`:
    /// each upper-cased spelling maps to its most frequent variant among the first `limit` words.
    public static func foldedIndex(_ e: WordEmbedding, limit: Int) -> [String: Int] {
        var m = [String: Int](minimumCapacity: limit)
        for i in 0..<min(limit, e.count) {
            let k = e.words[i].uppercased()
            if m[k] == nil { m[k] = i }
        }
        return m
    }

    /// Google analogy file: ": section" headers, then "a b c d" lines (words as written; matching
    /// ignores case).
    public static func parseAnalogies(_ path: String) throws -> [(section: String, [String])] {
        let text = try readText(path)
        var out = [(section: String, [String])]()
        var section: String?
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix(":") {
                section = line.dropFirst().trimmingCharacters(in: .whitespaces)
                continue
            }
            let w = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard w.count == 4 else { throw LyricsError(file: path, "line \(n + 1): expected 4 words, found \(w.count)") }
            guard let s = section else { throw LyricsError(file: path, "line \(n + 1): question before any ': section' header") }
            out.append((s, w))
        }
        guard !out.isEmpty else { throw LyricsError(file: path, "no analogy questions found") }
        return out
    }

    public static func analogies(_ e: WordEmbedding, file: String, restrictVocab: Int = defaultRestrictVocab) throws -> AnalogyResult {
        let questions = try parseAnalogies(file)
        let limit = min(restrictVocab, e.count)
        let known = foldedIndex(e, limit: limit)
        var sections = [AnalogySection]()
        var asked = [(section: Int, upper: [String], ids: [Int])]()
        for (s, q) in questions {
            if sections.last?.name != s { sections.append(AnalogySection(name: s)) }
            let si = sections.count - 1
            let upper = q.map { $0.uppercased() }
            let ids = upper.compactMap { known[$0] }
            if ids.count == 4 { asked.append((si, upper, ids)) } else { sections[si].skipped += 1 }
        }
        // Batches keep the score matrix (batch × limit floats) small. Like gensim, take the 5 best
        // words other than the inputs and answer with the first that is no case variant of one.
        let batch = 512
        var start = 0
        while start < asked.count {
            let part = asked[start..<min(start + batch, asked.count)]
            let answers = e.analogyBatch(part.map { (e.words[$0.ids[0]], e.words[$0.ids[1]], e.words[$0.ids[2]]) },
                                         n: 5, restrictVocab: limit)
            for (item, ans) in zip(part, answers) {
                let inputs = Set(item.upper[0..<3])
                var predicted: String?
                for candidate in ans ?? [] {
                    predicted = candidate.word.uppercased()
                    if !inputs.contains(predicted!) { break }
                }
                if predicted == item.upper[3] { sections[item.section].correct += 1 } else { sections[item.section].incorrect += 1 }
            }
            start += batch
        }
        var total = AnalogySection(name: "total")
        for s in sections { total.correct += s.correct; total.incorrect += s.incorrect; total.skipped += s.skipped }
        return AnalogyResult(file: file, restrictVocab: limit, sections: sections, total: total)
    }

    /// Word-pair file, one "word1 word2 score" per line: a line holding a tab is split at tabs
    /// (gensim's default delimiter, as in WordSim-353 and SimLex-999), any other at runs of spaces
    /// (what gensim reads with delimiter=' ', as MEN needs). Lines starting with "#" are comments and
    /// blank lines are ignored, as gensim does. gensim also skips a line that is not exactly three
    /// fields ending in a number; we refuse the file instead, so a file we accept scores the same
    /// in both and a typo never silently drops a pair.
    public static func parsePairs(_ path: String) throws -> [(String, String, Double)] {
        let text = try readText(path)
        var out = [(String, String, Double)]()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.hasPrefix("#") || raw.allSatisfy(\.isWhitespace) { continue }
            let fields = raw.contains("\t")
                ? raw.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                : raw.split(whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count == 3, !fields[0].isEmpty, !fields[1].isEmpty, let score = Double(fields[2]), score.isFinite else {
                throw LyricsError(file: path, "line \(n + 1): expected \"word1<tab>word2<tab>score\" (or separated by spaces), found \(fields.count) fields")
            }
            out.append((fields[0], fields[1], score))
        }
        guard !out.isEmpty else { throw LyricsError(file: path, "no word pairs found") }
        return out
    }

    public static func pairs(_ e: WordEmbedding, file: String, restrictVocab: Int = defaultPairRestrictVocab) throws -> PairResult {
        let items = try parsePairs(file)
        let limit = min(restrictVocab, e.count)
        let known = foldedIndex(e, limit: limit)
        let unit = e.unitVectors, d = e.dimensions
        var human = [Double](), model = [Double]()
        for (a, b, s) in items {
            guard let ia = known[a.uppercased()], let ib = known[b.uppercased()] else { continue }
            var dot: Float = 0
            for k in 0..<d { dot += unit[ia * d + k] * unit[ib * d + k] }
            human.append(s)
            model.append(Double(dot))
        }
        return PairResult(file: file, restrictVocab: limit, pairs: items.count, used: human.count,
                          spearman: spearman(human, model), pearson: pearson(human, model))
    }

    /// Spearman's rho: Pearson correlation of average ranks (ties share their mean rank, as in
    /// scipy.stats.spearmanr). NaN when fewer than two pairs or a side is constant.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count == y.count, x.count >= 2 else { return .nan }
        return pearson(ranks(x), ranks(y))
    }

    public static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let mean = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = mean }
            i = j + 1
        }
        return r
    }

    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }

    static func readText(_ path: String) throws -> String {
        let data = try InputFile.read(path)
        guard let s = String(data: data, encoding: .utf8) else { throw LyricsError(file: path, "not valid UTF-8 text") }
        return s
    }
}
