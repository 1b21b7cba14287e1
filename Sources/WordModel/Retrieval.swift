import Foundation
import LyricsCore

/// How a word model's predicted vector y becomes next-word scores (logits).
///
/// The notebook's cosine model regresses y onto the next word's vector, and what y carries is
/// mostly word frequency: with plain cosine retrieval its fitted kappa is about 0, sampling
/// among the 10 nearest words is uniform, and it writes a wall of rare words with no line
/// breaks. `prior` adds the evidence y lacks, a unigram log-prior, with both weights fitted by
/// maximum likelihood on validation text, so it is a proper distribution whose bits can be
/// compared with any model's (and the comparison reports the unigram's own hit rate beside it,
/// so the prior cannot pass off the unigram as the model).
public enum Retrieval: String, Codable, CaseIterable, Sendable {
    /// The notebook's rule: kappa · cos(y, ê) (for vMF models |y| · cos = y · ê).
    case cosine
    /// a · s + λ · log p(w): s the cosine rule's score, p the training text's unigram.
    case prior
}

/// The fitted weights of the `prior` rule and the unigram they weigh.
public struct RetrievalPrior: Codable, Equatable, Sendable {
    /// a: scale of the cosine rule's score.
    public var scale: Float
    /// λ: weight of log p(w).
    public var weight: Float
    /// log p(w) of every vocabulary word in the training text (add-one smoothed, "<unk>" and
    /// "</s>" counted as words).
    public var logPrior: [Float]

    public init(scale: Float, weight: Float, logPrior: [Float]) {
        self.scale = scale
        self.weight = weight
        self.logPrior = logPrior
    }

    /// The unigram log-probabilities of `ids` over a vocabulary of `count` words.
    public static func unigram(_ ids: [Int32], count: Int) -> [Float] {
        var c = [Double](repeating: 1, count: count)
        for id in ids { c[Int(id)] += 1 }
        let total = c.reduce(0, +)
        return c.map { Float(Foundation.log($0 / total)) }
    }

    /// Fits (a, λ) by maximum likelihood: the negative log-likelihood of softmax(a·s + λ·l) is
    /// convex in (a, λ) (its Hessian is the covariance of the two features under the model), so
    /// Newton steps from (1, 0) with a backtracking line search converge. The line search is
    /// needed: a full Newton step can overshoot into a saturated softmax where the Hessian
    /// vanishes (a cosine model whose scores mostly repeat the unigram went to a = 15414,
    /// λ = −1677 that way, writing one word over and over). Every accepted step lowers the
    /// likelihood's negative, so the result is never worse than the start. `scores[i]` are the
    /// base scores of position i over the vocabulary (row-major, `targets.count` rows);
    /// `excluded` words get no mass.
    public static func fit(scores: [Float], targets: [Int32], logPrior: [Float], excluded: Int32?,
                           iterations: Int = 25) -> (scale: Float, weight: Float, bitsPerToken: Double) {
        let N = targets.count
        var a = 1.0, lam = 0.0
        var (nll, g, h) = objective(scores: scores, targets: targets, logPrior: logPrior, excluded: excluded, a: a, lam: lam)
        for _ in 0..<iterations {
            let det = h.0 * h.2 - h.1 * h.1
            // Newton direction when the Hessian is positive definite, else steepest descent.
            var (da, dl) = det > 1e-12 && h.0 > 0 ? ((h.2 * g.0 - h.1 * g.1) / det, (h.0 * g.1 - h.1 * g.0) / det) : (g.0, g.1)
            var accepted = false
            for _ in 0..<40 {
                let next = objective(scores: scores, targets: targets, logPrior: logPrior, excluded: excluded, a: a - da, lam: lam - dl)
                if next.nll.isFinite && next.nll <= nll {
                    a -= da; lam -= dl
                    (nll, g, h) = next
                    accepted = true
                    break
                }
                da /= 2; dl /= 2
            }
            if !accepted || (abs(da) < 1e-5 * max(1, abs(a)) && abs(dl) < 1e-5 * max(1, abs(lam))) { break }
        }
        return (Float(a), Float(lam), nll / Double(max(N, 1)) / Foundation.log(2.0))
    }

    /// The negative log-likelihood (nats) of the targets under softmax(a·s + λ·l), its gradient
    /// and its Hessian (h.0 = ∂²/∂a², h.1 = ∂²/∂a∂λ, h.2 = ∂²/∂λ²).
    static func objective(scores: [Float], targets: [Int32], logPrior: [Float], excluded: Int32?, a: Double, lam: Double)
        -> (nll: Double, g: (Double, Double), h: (Double, Double, Double)) {
        let V = logPrior.count, N = targets.count
        var g = (0.0, 0.0), h = (0.0, 0.0, 0.0), total = 0.0
        scores.withUnsafeBufferPointer { s in
            for i in 0..<N {
                let row = s.baseAddress! + i * V
                var m = -Double.infinity
                for w in 0..<V where Int32(w) != excluded { m = max(m, a * Double(row[w]) + lam * Double(logPrior[w])) }
                var z = 0.0, es = 0.0, el = 0.0, ess = 0.0, esl = 0.0, ell = 0.0
                for w in 0..<V where Int32(w) != excluded {
                    let sw = Double(row[w]), lw = Double(logPrior[w])
                    let e = Foundation.exp(a * sw + lam * lw - m)
                    z += e; es += e * sw; el += e * lw; ess += e * sw * sw; esl += e * sw * lw; ell += e * lw * lw
                }
                es /= z; el /= z; ess /= z; esl /= z; ell /= z
                let t = Int(targets[i]), st = Double(row[t]), lt = Double(logPrior[t])
                total += -(a * st + lam * lt - m - Foundation.log(z))
                g.0 += es - st; g.1 += el - lt
                h.0 += ess - es * es; h.1 += esl - es * el; h.2 += ell - el * el
            }
        }
        return (total, g, h)
    }
}

extension WordModel {
    /// The base scores s of the rules (cos(y, ê) for cosine models, y·ê for vMF) at the first
    /// `limit` positions of `ids` (each word predicted from those before it, the first from a
    /// newline), with their targets, as one row-major [positions × V] array.
    public func baseScores(_ ids: [Int32], limit: Int) -> (scores: [Float], targets: [Int32]) {
        let V = table.count, D = table.dimension
        var seq = [table.newlineID] + ids.prefix(limit)
        if seq.count < 2 { seq.append(table.newlineID) }
        var ys = [Float](), targets = [Int32]()
        forEachScoringChunk(of: seq) { inputs, tgt, steps in
            let y = forward(inputs, steps: steps, training: false)
            for r in 0..<(steps * batch) where tgt[r] >= 0 {
                ys.append(contentsOf: UnsafeBufferPointer(start: y + r * D, count: D))
                targets.append(tgt[r])
            }
        }
        let n = targets.count
        var scores = [Float](repeating: 0, count: n * V)
        ys.withUnsafeBufferPointer { y in
            scores.withUnsafeMutableBufferPointer { baseScores(y.baseAddress!, rows: n, into: $0.baseAddress!) }
        }
        return (scores, targets)
    }

    /// Positions of validation text the prior rule is fitted on (enough for two parameters).
    public static let priorFitPositions = 5000

    /// Fits the `prior` rule on held-out ids with the training text's unigram; nil without one.
    public func fitRetrievalPrior(on ids: [Int32]) -> RetrievalPrior? {
        guard let unigram else { return nil }
        let (scores, targets) = baseScores(ids, limit: Self.priorFitPositions)
        let f = RetrievalPrior.fit(scores: scores, targets: targets, logPrior: unigram, excluded: table.unknownID)
        return RetrievalPrior(scale: f.scale, weight: f.weight, logPrior: unigram)
    }
}
