import Foundation
import LyricsCore
import NeuralNet

/// Writes text one character at a time with a batch-1, one-step copy of a model: the prime text
/// (after a newline, so generation starts as at the beginning of a line) sets the state, then
/// each sampled character is fed back. Temperature 0 picks the most likely character.
public final class CharGenerator {
    public let model: CharModel
    private var probabilities: [Double]

    /// `model` must be built with batch 1 (any maxSteps).
    public init(model: CharModel) {
        precondition(model.batch == 1, "CharGenerator needs a batch-1 model")
        self.model = model
        probabilities = [Double](repeating: 0, count: model.vocabulary.count)
    }

    /// Feeds `id` and returns the logits for the next character.
    @inline(__always)
    private func feed(_ id: Int32) -> UnsafeMutablePointer<Float> {
        var i = id
        return model.forward(&i, steps: 1, training: false)
    }

    /// Primes with `prime` (characters outside the vocabulary are skipped) and appends `length`
    /// generated characters; returns only the generated part. `topK` limits sampling to the k most
    /// likely characters (nil or >= vocabulary size: no limit).
    public func generate(prime: String, length: Int, temperature: Float, topK: Int? = nil, rng: inout SeededRandom) -> String {
        model.resetState()
        var ids = model.vocabulary.encode(prime).ids
        if let nl = model.vocabulary.id(of: 0x0A), ids.first != nl { ids.insert(nl, at: 0) }
        if ids.isEmpty { ids = [0] }
        var logits: UnsafeMutablePointer<Float>!
        for id in ids { logits = feed(id) }
        var out = [UInt8]()
        out.reserveCapacity(length)
        for _ in 0..<length {
            let next = sample(logits, temperature: temperature, topK: topK, rng: &rng)
            out.append(model.vocabulary.symbols[Int(next)])
            logits = feed(next)
        }
        return String(decoding: out, as: UTF8.self)
    }

    func sample(_ logits: UnsafePointer<Float>, temperature: Float, topK: Int? = nil, rng: inout SeededRandom) -> Int32 {
        let V = model.vocabulary.count
        var best = 0
        for j in 1..<V where logits[j] > logits[best] { best = j }
        guard temperature > 0 else { return Int32(best) }
        // Logits below the k-th largest are excluded (ties at the threshold stay in).
        var threshold = -Float.infinity
        if let k = topK, k >= 1, k < V {
            threshold = (0..<V).map { logits[$0] }.sorted(by: >)[k - 1]
        }
        let m = Double(logits[best]), inv = 1 / Double(temperature)
        var sum = 0.0
        for j in 0..<V {
            probabilities[j] = logits[j] >= threshold ? Foundation.exp((Double(logits[j]) - m) * inv) : 0
            sum += probabilities[j]
        }
        var u = rng.nextDouble() * sum
        var last = best
        for j in 0..<V where probabilities[j] > 0 {
            u -= probabilities[j]
            last = j
            if u < 0 { return Int32(j) }
        }
        return Int32(last)
    }
}
