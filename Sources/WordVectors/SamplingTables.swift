import Foundation
import LyricsCore

/// word2vec.c's sigmoid lookup: 1000 buckets over [-6, 6]. Outside that range the logistic is
/// saturated and the trainer uses 0 or 1, exactly like word2vec.c (gensim skips those pairs).
public struct SigmoidTable: Sendable {
    public static let maxExp: Float = 6
    public let size: Int
    public let values: [Float]
    let scale: Float

    /// `size` buckets; tests use a large table to compare against the exact logistic.
    public init(size: Int = 1000) {
        self.size = size
        values = (0..<size).map { i in
            let x = exp((Double(i) / Double(size) * 2 - 1) * Double(Self.maxExp))
            return Float(x / (x + 1))
        }
        scale = Float(size) / Self.maxExp / 2
    }

    /// σ(x) from the table; saturated to exactly 0/1 beyond ±maxExp.
    @inline(__always)
    public func callAsFunction(_ x: Float) -> Float {
        if x >= Self.maxExp { return 1 }
        if x <= -Self.maxExp { return 0 }
        let i = Int((x + Self.maxExp) * scale)
        return values[min(max(i, 0), size - 1)]
    }
}

/// Draws negative words from the unigram distribution raised to 0.75 (word2vec.c's table). Instead
/// of word2vec.c's 10^8-entry array (400 MB) it uses Walker's alias method: two arrays of the
/// vocabulary's length and O(1) per draw from one 64-bit random number.
public struct UnigramTable: Sendable {
    /// Bucket i packed as (threshold << 32) | alias: keep bucket i when the low 32 random bits are
    /// below the threshold (its probability scaled to 2^32), else take the alias, so a draw
    /// reads one 8-byte entry (one cache line) instead of two arrays. A bucket that always keeps
    /// itself stores threshold 2^32 − 1 and itself as alias, which draws exactly the same.
    let entries: [UInt64]
    public let count: Int

    public init(counts: [Int], power: Double = 0.75) {
        let n = counts.count
        count = n
        var weights = counts.map { pow(Double(max($0, 0)), power) }
        var total = weights.reduce(0, +)
        if total <= 0 { weights = Array(repeating: 1, count: n); total = Double(n) }
        var scaled = weights.map { $0 * Double(n) / total }
        var thr = [UInt64](repeating: 1 << 32, count: n)
        var al = [Int32](unsafeUninitializedCapacity: n) { buf, c in
            for i in 0..<n { buf[i] = Int32(i) }
            c = n
        }
        var small = [Int](), large = [Int]()
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast() {
            guard let l = large.popLast() else { break }
            thr[s] = UInt64((scaled[s] * 4_294_967_296).rounded())
            al[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        entries = (0..<n).map { i in
            thr[i] >= 1 << 32 ? (0xFFFF_FFFF << 32) | UInt64(i) : (thr[i] << 32) | UInt64(UInt32(bitPattern: al[i]))
        }
    }

    /// One draw: the high 32 bits pick a bucket, the low 32 bits decide bucket vs alias.
    @inline(__always)
    public func sample(_ rng: inout SeededRandom) -> Int32 {
        let r = rng.next()
        let bucket = Int(((r >> 32) &* UInt64(count)) >> 32)
        let entry = entries.withUnsafeBufferPointer { $0[bucket] }
        return (r & 0xFFFF_FFFF) < (entry >> 32) ? Int32(bucket) : Int32(truncatingIfNeeded: entry)
    }

    /// The exact probability of each word under this table (for tests).
    public func probabilities() -> [Double] {
        var p = [Double](repeating: 0, count: count)
        for (i, entry) in entries.enumerated() {
            let keep = Double(entry >> 32) / 4_294_967_296
            p[i] += keep / Double(count)
            p[Int(Int32(truncatingIfNeeded: entry))] += (1 - keep) / Double(count)
        }
        return p
    }
}

/// gensim's frequent-word subsampling: word w with count c is kept with probability
/// (sqrt(c / t) + 1) * t / c, capped at 1, where t = sample * total tokens. Stored as 32-bit
/// fixed point like gensim's `sample_int`, so a draw is one comparison (2^32, always kept, is stored
/// as 2^32 − 1, which keeps every 32-bit draw all the same).
public struct Subsampler: Sendable {
    let keep: [UInt32]

    public init(counts: [Int], sample: Double) {
        let total = Double(counts.reduce(0, +))
        guard sample > 0, total > 0 else {
            keep = Array(repeating: .max, count: counts.count)
            return
        }
        let t = sample * total
        keep = counts.map { c in
            guard c > 0 else { return .max }
            let v = Double(c)
            let p = min((sqrt(v / t) + 1) * t / v, 1)
            return UInt32(min((p * 4_294_967_296).rounded(), 4_294_967_295))
        }
    }

    public func keepProbability(_ id: Int32) -> Double { keep[Int(id)] == .max ? 1 : Double(keep[Int(id)]) / 4_294_967_296 }

    @inline(__always)
    public func keeps(_ id: Int32, _ rng: inout SeededRandom) -> Bool {
        UInt64(keep.withUnsafeBufferPointer { $0[Int(id)] }) >= (rng.next() >> 32)
    }
}
