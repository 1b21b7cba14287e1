import Foundation
import LyricsCore

/// One hogwild worker: its generator, its subsampled chunk buffer and its update scratch.
///
/// A batch is `centersPerBatch` consecutive center words with their reduced windows. Their
/// windows overlap, so the input rows are the distinct positions in the union of the windows
/// (about C + 2·window rows instead of C · 2·window) and each row's weights say which centers it
/// is a context of; the K negatives are shared by the whole batch and meet each row once per
/// center it serves. With one center this is exactly Ji et al.'s per-window scheme.
final class Worker {
    let config: SkipGramConfig
    let sigmoid: SigmoidTable
    let unigram: UnigramTable
    let subsampler: Subsampler
    var rng: SeededRandom
    let update: BatchedUpdate
    let maxInputs: Int
    let maxOutputs: Int

    init(config: SkipGramConfig, sigmoid: SigmoidTable, unigram: UnigramTable, subsampler: Subsampler,
         vocabSize: Int, seed: UInt64) {
        self.config = config
        self.sigmoid = sigmoid
        self.unigram = unigram
        self.subsampler = subsampler
        rng = SeededRandom(seed: seed)
        maxInputs = 2 * config.window + config.centersPerBatch
        maxOutputs = config.centersPerBatch + config.negativesPerBatch
        update = BatchedUpdate(dim: config.dimensions, maxInputs: maxInputs, maxOutputs: maxOutputs)
    }

    /// All epochs over `tokens`; `report(rawWords, alpha)` is called once per chunk.
    /// Returns the number of tokens kept by subsampling.
    func run(tokens: UnsafeBufferPointer<Int32>, syn0: UnsafeMutablePointer<Float>, syn1: UnsafeMutablePointer<Float>,
             report: (Int, Float) -> Void) -> Int {
        let cfg = config
        let n = tokens.count
        guard n > 0 else { return 0 }
        let chunkSize = cfg.chunkTokens
        let maxC = cfg.centersPerBatch, negK = cfg.negativesPerBatch, window = cfg.window
        let negScale = Float(cfg.negative) / Float(negK)
        var chunk = [Int32](repeating: 0, count: chunkSize)
        var inputs = [Int32](repeating: 0, count: maxInputs)
        var outputs = [Int32](repeating: 0, count: maxOutputs)
        var weights = [Float](repeating: 0, count: maxInputs * maxOutputs)
        var radius = [Int](repeating: 0, count: maxC)
        let totalWork = Double(n) * Double(cfg.epochs)
        var kept = 0
        chunk.withUnsafeMutableBufferPointer { chunk in
        inputs.withUnsafeMutableBufferPointer { inputs in
        outputs.withUnsafeMutableBufferPointer { outputs in
        weights.withUnsafeMutableBufferPointer { weights in
        radius.withUnsafeMutableBufferPointer { radius in
            let inP = inputs.baseAddress!, outP = outputs.baseAddress!, wP = weights.baseAddress!
            for epoch in 0..<cfg.epochs {
                var start = 0
                while start < n {
                    let end = min(start + chunkSize, n)
                    let progress = (Double(epoch) * Double(n) + Double(start)) / totalWork
                    let alpha = max(cfg.alpha - (cfg.alpha - cfg.minAlpha) * Float(progress), cfg.minAlpha)
                    var len = 0
                    for i in start..<end where subsampler.keeps(tokens[i], &rng) {
                        chunk[len] = tokens[i]
                        len += 1
                    }
                    kept += len
                    var first = 0
                    while first < len {
                        let centers = min(maxC, len - first)
                        var lo = Int.max, hi = Int.min
                        for c in 0..<centers {
                            let r = window - Int(rng.next() % UInt64(window))
                            radius[c] = r
                            outP[c] = chunk[first + c]
                            lo = min(lo, first + c - r)
                            hi = max(hi, first + c + r)
                        }
                        lo = max(lo, 0)
                        hi = min(hi, len - 1)
                        for k in 0..<negK { outP[centers + k] = unigram.sample(&rng) }
                        let nOut = centers + negK
                        let nIn = Self.batchRows(chunk: chunk.baseAddress!, first: first, centers: centers, radius: radius.baseAddress!,
                                                 lo: lo, hi: hi, outputs: outP, negatives: negK, negativeScale: negScale,
                                                 inputs: inP, weights: wP)
                        update.apply(syn0: syn0, syn1: syn1, inputs: inP, inputCount: nIn,
                                     outputs: outP, outputCount: nOut, weights: wP,
                                     alpha: alpha, sigmoid: sigmoid)
                        first += centers
                    }
                    report(end - start, alpha)
                    start = end
                }
            }
        }
        }
        }
        }
        }
        return kept
    }

    /// Fills the input rows and the weight matrix of one batch: the distinct positions lo...hi
    /// that are a context of at least one center (position first + c with radius radius[c]);
    /// weight 1 for each (row, own center) pair, and for each negative column minus the number of
    /// centers the row serves whose word is not that negative (times `negativeScale`). Returns the
    /// row count.
    static func batchRows(chunk: UnsafePointer<Int32>, first: Int, centers: Int, radius: UnsafePointer<Int>,
                          lo: Int, hi: Int, outputs outP: UnsafePointer<Int32>, negatives negK: Int, negativeScale: Float = 1,
                          inputs inP: UnsafeMutablePointer<Int32>, weights wP: UnsafeMutablePointer<Float>) -> Int {
        let nOut = centers + negK
        var nIn = 0
        for p in lo...hi {
            let row = wP + nIn * nOut
            var served: Float = 0
            for c in 0..<centers {
                let dist = abs(p - (first + c))
                let pos: Float = dist != 0 && dist <= radius[c] ? 1 : 0
                row[c] = pos
                served += pos
            }
            guard served > 0 else { continue }
            for k in 0..<negK {
                let word = outP[centers + k]
                var w = served
                for c in 0..<centers where row[c] > 0 && outP[c] == word { w -= 1 }
                row[centers + k] = -w * negativeScale
            }
            inP[nIn] = chunk[p]
            nIn += 1
        }
        return nIn
    }
}
