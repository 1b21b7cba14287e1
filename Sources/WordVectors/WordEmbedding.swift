import Foundation
import LyricsCore

/// Word vectors with their words, most frequent first (the order training and vector files use,
/// which `restrictVocab` relies on). Similarity queries run on a unit-normalised copy of the
/// matrix, built once, so cosine against the whole vocabulary is one sgemv/sgemm.
public final class WordEmbedding {
    public let words: [String]
    /// Corpus counts when known (training); zeros for vectors loaded from a file.
    public let counts: [Int]
    public let dimensions: Int
    /// `words.count × dimensions`, row-major.
    public let vectors: [Float]
    /// Word → row (`Vocabulary.firstIndex`: a repeated word keeps its first row).
    public let index: [String: Int32]
    private var unitCache: [Float]?

    public init(words: [String], counts: [Int]? = nil, dimensions: Int, vectors: [Float]) {
        precondition(vectors.count == words.count * dimensions)
        self.words = words
        self.counts = counts ?? Array(repeating: 0, count: words.count)
        self.dimensions = dimensions
        self.vectors = vectors
        index = Vocabulary.firstIndex(words)
    }

    public var count: Int { words.count }

    public func vector(_ word: String) -> ArraySlice<Float>? {
        guard let i = index[word].map(Int.init) else { return nil }
        return vectors[(i * dimensions)..<((i + 1) * dimensions)]
    }

    /// Rows scaled to unit length (zero rows stay zero), computed once.
    public var unitVectors: [Float] {
        if let unitCache { return unitCache }
        let u = Self.unitRows(vectors, dimensions: dimensions)
        unitCache = u
        return u
    }

    /// `vectors` (rows of `dimensions`) with every row scaled to unit length; zero rows stay zero.
    public static func unitRows(_ vectors: [Float], dimensions: Int) -> [Float] {
        var u = vectors
        let d = dimensions
        u.withUnsafeMutableBufferPointer { buf in
            guard let p = buf.baseAddress else { return }
            for r in 0..<(buf.count / dimensions) {
                let row = p + r * dimensions
                let norm = BLAS.norm(d, row)
                if norm > 0 { BLAS.scale(d, 1 / norm, row) }
            }
        }
        return u
    }

    /// Cosine of every one of the first `limit` words against each unit query vector (`queries`
    /// holds q rows of length `dimensions`): one sgemm giving a q × limit score matrix.
    public func cosines(unitQueries queries: [Float], limit: Int? = nil) -> [Float] {
        let q = queries.count / dimensions
        let v = min(limit ?? count, count)
        var scores = [Float](repeating: 0, count: q * v)
        guard q > 0, v > 0 else { return scores }
        let unit = unitVectors
        BLAS.gemm(false, true, q, v, dimensions, 1, queries, dimensions, unit, dimensions, 0, &scores, v)
        return scores
    }

    /// Unit vector of a word (nil when out of vocabulary).
    public func unitVector(_ word: String) -> [Float]? {
        guard let i = index[word].map(Int.init) else { return nil }
        return Array(unitVectors[(i * dimensions)..<((i + 1) * dimensions)])
    }

    /// The `n` best-scoring indices of `scores`, best first, skipping `exclude`.
    static func topN(_ scores: ArraySlice<Float>, n: Int, exclude: Set<Int>) -> [(Int, Float)] {
        var best = [Candidate]()
        scores.withUnsafeBufferPointer { TopK.select($0, k: n, excluding: exclude.map { Int32($0) }, into: &best) }
        return best.map { (Int($0.token), $0.logit) }
    }

    /// Nearest words by cosine for each query word (nil entry for an unknown word).
    public func neighbors(of queryWords: [String], n: Int, restrictVocab: Int? = nil) -> [[(word: String, cosine: Float)]?] {
        let known = queryWords.compactMap { unitVector($0) }
        let v = min(restrictVocab ?? count, count)
        let scores = cosines(unitQueries: known.flatMap { $0 }, limit: v)
        var k = 0
        return queryWords.map { w in
            guard let wi = index[w].map(Int.init) else { return nil }
            let row = scores[(k * v)..<((k + 1) * v)]
            k += 1
            return Self.topN(row, n: n, exclude: [wi]).map { (words[$0.0], $0.1) }
        }
    }

    /// 3CosAdd (Mikolov et al.; gensim's most_similar(positive=[b, c], negative=[a])): words nearest
    /// to unit(b) − unit(a) + unit(c), excluding a, b and c. Nil when an input is unknown.
    public func analogy(_ a: String, _ b: String, _ c: String, n: Int, restrictVocab: Int? = nil) -> [(word: String, cosine: Float)]? {
        guard let batch = analogyBatch([(a, b, c)], n: n, restrictVocab: restrictVocab).first else { return nil }
        return batch
    }

    /// Many analogies at once: the targets form one matrix and the scores one sgemm.
    public func analogyBatch(_ questions: [(String, String, String)], n: Int, restrictVocab: Int? = nil) -> [[(word: String, cosine: Float)]?] {
        let v = min(restrictVocab ?? count, count)
        let d = dimensions
        let unit = unitVectors
        var targets = [Float]()
        var excluded = [Set<Int>]()
        var valid = [Bool]()
        for (a, b, c) in questions {
            guard let ia = index[a].map(Int.init), let ib = index[b].map(Int.init), let ic = index[c].map(Int.init), ia < v, ib < v, ic < v else {
                valid.append(false)
                continue
            }
            var t = [Float](repeating: 0, count: d)
            BLAS.axpy(d, 1, Array(unit[(ib * d)..<((ib + 1) * d)]), &t)
            BLAS.axpy(d, -1, Array(unit[(ia * d)..<((ia + 1) * d)]), &t)
            BLAS.axpy(d, 1, Array(unit[(ic * d)..<((ic + 1) * d)]), &t)
            let norm = BLAS.norm(d, t)
            if norm > 0 { BLAS.scale(d, 1 / norm, &t) }
            targets += t
            excluded.append([ia, ib, ic])
            valid.append(true)
        }
        let scores = cosines(unitQueries: targets, limit: v)
        var k = 0
        return valid.map { ok in
            guard ok else { return nil }
            let row = scores[(k * v)..<((k + 1) * v)]
            let res = Self.topN(row, n: n, exclude: excluded[k]).map { (words[$0.0], $0.1) }
            k += 1
            return res
        }
    }
}
