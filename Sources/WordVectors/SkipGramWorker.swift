import Foundation
import LyricsCore

/// One hogwild worker: its generator, its subsampled chunk buffer and its update scratch.
///
/// `pairs` and `window` (see `SkipGramUpdate`) walk the chunk center by center and train each
/// (context, center) pair with `PairKernel`. `matrix` takes `centersPerBatch` consecutive centers
/// with their reduced windows as one batch: their windows overlap, so the input rows are the
/// distinct positions in the union of the windows (about C + 2·window rows instead of
/// C · 2·window) and each row's weights say which centers it is a context of; the K negatives are
/// shared by the whole batch and meet each row once per center it serves. With one center this is
/// exactly Ji et al.'s per-window scheme.
final class Worker {
    let config: SkipGramConfig
    let sigmoid: SigmoidTable
    let unigram: UnigramTable
    let subsampler: Subsampler
    var rng: SeededRandom
    let update: BatchedUpdate
    let maxInputs: Int
    let maxOutputs: Int
    let kernel: PairKernel
    // Scratch, allocated once: negatives of a pair or window, and the matrix batch's rows.
    let negatives: UnsafeMutablePointer<Int32>
    let inputs: UnsafeMutablePointer<Int32>
    let outputs: UnsafeMutablePointer<Int32>
    let weights: UnsafeMutablePointer<Float>
    let radii: UnsafeMutablePointer<Int>

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
        kernel = PairKernel(dim: config.dimensions, maxNegatives: config.negative, sigmoid: sigmoid)
        negatives = Scratch.allocate(capacity: config.negative)
        inputs = Scratch.allocate(capacity: maxInputs)
        outputs = Scratch.allocate(capacity: maxOutputs)
        weights = Scratch.allocate(capacity: maxInputs * maxOutputs)
        radii = Scratch.allocate(capacity: config.centersPerBatch)
    }

    deinit {
        kernel.deallocate()
        Scratch.free(negatives); Scratch.free(inputs); Scratch.free(outputs); Scratch.free(weights); Scratch.free(radii)
    }

    /// All epochs over `tokens[range]`; `report(rawWords, alpha)` is called once per chunk.
    /// Returns the number of tokens kept by subsampling.
    func run(tokens ids: TokenIDs, range: Range<Int>, syn0: UnsafeMutablePointer<Float>, syn1: UnsafeMutablePointer<Float>,
             report: (Int, Float) -> Void) -> Int {
        let cfg = config
        let n = range.count
        guard n > 0 else { return 0 }
        let chunkSize = cfg.chunkTokens
        // The chunk's raw ids, and what subsampling keeps of them.
        let raw = Scratch.allocate(Int32.self, capacity: chunkSize), chunk = Scratch.allocate(Int32.self, capacity: chunkSize)
        defer { Scratch.free(raw); Scratch.free(chunk) }
        let totalWork = Double(n) * Double(cfg.epochs)
        var kept = 0
        for epoch in 0..<cfg.epochs {
            var start = 0
            while start < n {
                let end = min(start + chunkSize, n)
                let progress = (Double(epoch) * Double(n) + Double(start)) / totalWork
                let alpha = max(cfg.alpha - (cfg.alpha - cfg.minAlpha) * Float(progress), cfg.minAlpha)
                var len = 0
                var rng = self.rng
                ids.decode((range.lowerBound + start)..<(range.lowerBound + end), into: raw)
                for i in 0..<(end - start) where subsampler.keeps(raw[i], &rng) {
                    chunk[len] = raw[i]
                    len += 1
                }
                self.rng = rng
                kept += len
                if cfg.update == .matrix {
                    trainMatrix(chunk: chunk, len: len, syn0: syn0, syn1: syn1, alpha: alpha)
                } else {
                    trainPairs(chunk: chunk, len: len, syn0: syn0, syn1: syn1, alpha: alpha)
                }
                report(end - start, alpha)
                start = end
            }
        }
        return kept
    }

    /// One subsampled chunk pair by pair (`PairKernel`): each center draws its reduced radius,
    /// then each context in it predicts the center against fresh negatives (`pairs`) or the
    /// center's shared ones (`window`).
    func trainPairs(chunk: UnsafeMutablePointer<Int32>, len: Int, syn0: UnsafeMutablePointer<Float>,
                    syn1: UnsafeMutablePointer<Float>, alpha: Float) {
        let window = config.window, negK = config.negative
        let fresh = config.update == .pairs
        let negP = negatives, unigram = unigram, kernel = kernel
        var rng = self.rng // a local: a stored var would be exclusivity-checked on every draw
        defer { self.rng = rng }
        for pos in 0..<len {
            let center = chunk[pos]
            let r = window - Int(rng.next() % UInt64(window))
            if !fresh { for k in 0..<negK { negP[k] = unigram.sample(&rng) } }
            for p in max(pos - r, 0)...min(pos + r, len - 1) where p != pos {
                if fresh { for k in 0..<negK { negP[k] = unigram.sample(&rng) } }
                kernel.train(context: chunk[p], center: center, negatives: negP, negativeCount: negK,
                             syn0: syn0, syn1: syn1, alpha: alpha)
            }
        }
    }

    /// One subsampled chunk in matrix batches of `centersPerBatch` centers (`BatchedUpdate`).
    func trainMatrix(chunk: UnsafeMutablePointer<Int32>, len: Int, syn0: UnsafeMutablePointer<Float>,
                     syn1: UnsafeMutablePointer<Float>, alpha: Float) {
        let maxC = config.centersPerBatch, negK = config.negativesPerBatch, window = config.window
        let negScale = Float(config.negative) / Float(negK)
        let inP = inputs, outP = outputs, wP = weights, radius = radii
        var rng = self.rng
        defer { self.rng = rng }
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
            let nIn = Self.batchRows(chunk: chunk, first: first, centers: centers, radius: radius,
                                     lo: lo, hi: hi, outputs: outP, negatives: negK, negativeScale: negScale,
                                     inputs: inP, weights: wP)
            update.apply(syn0: syn0, syn1: syn1, inputs: inP, inputCount: nIn,
                         outputs: outP, outputCount: nOut, weights: wP,
                         alpha: alpha, sigmoid: sigmoid)
            first += centers
        }
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

/// Per-worker scratch that no other thread's data shares a cache line with: each buffer starts on
/// a 128-byte boundary and is padded to a multiple of 128 bytes (two lines, for the adjacent-line
/// prefetcher). The kernel writes its few-dozen-byte buffers on every pair; as plain small
/// allocations, two workers' buffers could sit in one line and every write would pull the line
/// away from the other core.
enum Scratch {
    static let line = 128

    static func allocate<T>(_ type: T.Type = T.self, capacity: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, (capacity * MemoryLayout<T>.stride + line - 1) / line) * line
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: line).bindMemory(to: T.self, capacity: capacity)
    }

    static func free<T>(_ p: UnsafeMutablePointer<T>) { UnsafeMutableRawPointer(p).deallocate() }
}
