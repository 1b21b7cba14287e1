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
    public var pairs: Int
    public var used: Int
    public var spearman: Double
    public var coverage: Double { pairs > 0 ? Double(used) / Double(pairs) : 0 }
}

/// The standard intrinsic evaluations, done the way gensim's `evaluate_word_analogies` and
/// `evaluate_word_pairs` do them, so our vectors and gensim's can be scored by one evaluator:
/// questions are lowercased (our corpus is), only the `restrictVocab` most frequent words are
/// candidates, a question with any word outside them is skipped (reported as coverage), and the
/// answer is the 3CosAdd nearest word other than the three inputs.
public enum Evaluation {
    /// word2vec.c's compute-accuracy threshold; gensim's own default is 300000.
    public static let defaultRestrictVocab = 30_000

    /// Google analogy file: ": section" headers, then "a b c d" lines.
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
            let w = line.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
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
        var sections = [AnalogySection]()
        var asked = [(section: Int, q: [String])]()
        for (s, q) in questions {
            if sections.last?.name != s { sections.append(AnalogySection(name: s)) }
            let si = sections.count - 1
            if q.allSatisfy({ (e.index[$0] ?? Int.max) < limit }) { asked.append((si, q)) } else { sections[si].skipped += 1 }
        }
        // Batches keep the score matrix (batch × limit floats) small.
        let batch = 512
        var start = 0
        while start < asked.count {
            let part = asked[start..<min(start + batch, asked.count)]
            let answers = e.analogyBatch(part.map { ($0.q[0], $0.q[1], $0.q[2]) }, n: 1, restrictVocab: limit)
            for (item, ans) in zip(part, answers) {
                if ans?.first?.word == item.q[3] { sections[item.section].correct += 1 } else { sections[item.section].incorrect += 1 }
            }
            start += batch
        }
        var total = AnalogySection(name: "total")
        for s in sections { total.correct += s.correct; total.incorrect += s.incorrect; total.skipped += s.skipped }
        return AnalogyResult(file: file, restrictVocab: limit, sections: sections, total: total)
    }

    /// Word-pair file: "w1 w2 score" separated by tabs or spaces; "#" lines are comments.
    public static func parsePairs(_ path: String) throws -> [(String, String, Double)] {
        let text = try readText(path)
        var out = [(String, String, Double)]()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 3, let score = Double(f[2]), score.isFinite else {
                throw LyricsError(file: path, "line \(n + 1): expected \"word1 word2 score\"")
            }
            out.append((f[0].lowercased(), f[1].lowercased(), score))
        }
        guard !out.isEmpty else { throw LyricsError(file: path, "no word pairs found") }
        return out
    }

    public static func pairs(_ e: WordEmbedding, file: String, restrictVocab: Int = defaultRestrictVocab) throws -> PairResult {
        let items = try parsePairs(file)
        let limit = min(restrictVocab, e.count)
        var human = [Double](), model = [Double]()
        for (a, b, s) in items {
            guard let ia = e.index[a], let ib = e.index[b], ia < limit, ib < limit,
                  let ua = e.unitVector(a), let ub = e.unitVector(b) else { continue }
            human.append(s)
            model.append(Double(zip(ua, ub).reduce(Float(0)) { $0 + $1.0 * $1.1 }))
        }
        return PairResult(file: file, pairs: items.count, used: human.count, spearman: spearman(human, model))
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
