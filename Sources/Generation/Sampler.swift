import Foundation
import LyricsCore

/// How the next token is drawn from a model's logits.
public struct SamplingSettings: Codable, Equatable, Sendable {
    /// Divides the logits; 0 = always the most likely token (greedy).
    public var temperature: Float = 0.8
    /// Only the k highest-scored tokens are candidates (nil = all).
    public var topK: Int?
    /// Nucleus: the smallest set of best candidates whose probability reaches p (1 = all).
    public var topP: Float = 1
    /// CTRL-style penalty (Keskar et al. 2019) for tokens among the last `penaltyWindow`:
    /// positive logits are divided by it, negative ones multiplied (1 = off).
    public var repetitionPenalty: Float = 1
    public var penaltyWindow = 64

    public init(temperature: Float = 0.8, topK: Int? = nil, topP: Float = 1, repetitionPenalty: Float = 1, penaltyWindow: Int = 64) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.penaltyWindow = penaltyWindow
    }

    /// The first problem, naming the field as the command line and the API spell it.
    public func problem() -> String? {
        if !(temperature >= 0 && temperature.isFinite) { return "temperature: must be 0 or positive" }
        if let k = topK, k < 1 { return "top-k: must be at least 1" }
        if !(topP > 0 && topP <= 1) { return "top-p: must be in (0, 1]" }
        if !(repetitionPenalty >= 1 && repetitionPenalty.isFinite) { return "repetition-penalty: must be at least 1 (1 = off)" }
        if penaltyWindow < 0 { return "penalty-window: must not be negative" }
        return nil
    }
}

/// The sampler as small pure functions over logits and an explicit random source, in the style
/// of llama2.c: penalise, select the top k (partial selection with a heap, O(V log k)), softmax at
/// a temperature, cut to the nucleus, draw. `sample` chains them.
public enum Sampler {
    /// CTRL penalty in place for every token of `recent`.
    public static func penalize(_ logits: UnsafeMutableBufferPointer<Float>, recent: ArraySlice<Int32>, penalty: Float) {
        guard penalty != 1 else { return }
        for t in Set(recent) where Int(t) < logits.count {
            let l = logits[Int(t)]
            logits[Int(t)] = l > 0 ? l / penalty : l * penalty
        }
    }

    /// The `k` highest logits, best first (ties: lower id first), skipping `excluded` and
    /// -infinity: `TopK.select`, the one partial selection in the package.
    public static func topK(_ logits: UnsafeBufferPointer<Float>, k: Int, excluding excluded: [Int32] = [],
                            into heap: inout [Candidate]) {
        TopK.select(logits, k: k, excluding: excluded, into: &heap)
    }

    /// Softmax of the candidates' logits divided by `temperature` (> 0) into `p`.
    public static func softmax(_ candidates: [Candidate], temperature: Float, into p: inout [Double]) {
        Softmax.probabilities(count: candidates.count, scale: 1 / Double(temperature), into: &p) { candidates[$0].logit }
    }

    /// Softmax of whole logits (-infinity gets 0) into `p`.
    public static func softmax(_ logits: [Float], into p: inout [Double]) {
        Softmax.probabilities(count: logits.count, into: &p) { logits[$0] }
    }

    /// How many of the (descending) probabilities make the nucleus: the fewest whose sum
    /// reaches `topP` (at least one).
    public static func nucleusCount(_ p: [Double], topP: Float) -> Int {
        guard topP < 1 else { return p.count }
        var sum = 0.0
        for (i, q) in p.enumerated() {
            sum += q
            if sum >= Double(topP) { return i + 1 }
        }
        return p.count
    }

    /// The index drawn by `u` in [0, 1) from the first `count` probabilities (renormalised).
    public static func draw(_ p: [Double], count: Int, u: Double) -> Int {
        let total = p.prefix(count).reduce(0, +)
        var x = u * total
        for i in 0..<count {
            x -= p[i]
            if x < 0 { return i }
        }
        return max(0, count - 1)
    }

    /// Scratch the sampler reuses between tokens (allocated once per generation).
    public struct Scratch {
        public var candidates: [Candidate] = []
        public var probabilities: [Double] = []
        public init() {}
    }

    /// One token: penalty over `recent`, top-k, temperature (0: the best candidate), nucleus,
    /// draw. `logits` is modified by the penalty. Returns nil when every token is excluded.
    public static func sample(_ logits: UnsafeMutableBufferPointer<Float>, settings s: SamplingSettings, recent: ArraySlice<Int32>,
                              excluding excluded: [Int32], random: inout SeededRandom, scratch: inout Scratch) -> Int32? {
        penalize(logits, recent: recent.suffix(s.penaltyWindow), penalty: s.repetitionPenalty)
        let k = min(s.topK ?? logits.count, logits.count)
        topK(UnsafeBufferPointer(logits), k: s.temperature == 0 ? 1 : k, excluding: excluded, into: &scratch.candidates)
        guard let best = scratch.candidates.first else { return nil }
        guard s.temperature > 0 else { return best.token }
        softmax(scratch.candidates, temperature: s.temperature, into: &scratch.probabilities)
        let n = nucleusCount(scratch.probabilities, topP: s.topP)
        return scratch.candidates[draw(scratch.probabilities, count: n, u: random.nextDouble())].token
    }
}
