import Foundation
import LyricsCore

/// gensim's inner loop for one (context, center) pair, on raw pointers with SIMD: with
/// h = syn0[context] and, for each output word o (the center with label 1, then the negatives
/// with label 0),
///
///     f = h · syn1[o],   g = α (label − σ(f)),   e += g · syn1[o],   syn1[o] += g · h
///
/// (g = 0 where |f| ≥ 6, as in gensim) and finally syn0[context] += e. Each output row sees the
/// updates of the outputs before it, as in word2vec.c and gensim (`BatchedUpdate` instead
/// computes a whole batch from the parameters before the step). At dimension 100 a pair is ~6 × 3 vector loops of 100 floats: a BLAS call per loop
/// would cost more in call overhead than in arithmetic, so the loops are written out here.
struct PairKernel {
    let dim: Int
    /// The pair's accumulated input-side delta `e` (sequential loop).
    let neu1e: UnsafeMutablePointer<Float>
    /// The pair's output words, their syn1 rows and their gains α (label − σ(f)).
    let words: UnsafeMutablePointer<Int32>
    let rows: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let gains: UnsafeMutablePointer<Float>
    /// word2vec.c's sigmoid table, copied so the hot loop reads a plain pointer.
    let table: UnsafeMutablePointer<Float>
    let tableSize: Int
    let tableScale: Float

    init(dim: Int, maxNegatives: Int, sigmoid: SigmoidTable) {
        self.dim = dim
        neu1e = Scratch.allocate(capacity: dim)
        words = Scratch.allocate(capacity: maxNegatives + 1)
        rows = Scratch.allocate(capacity: maxNegatives + 1)
        gains = Scratch.allocate(capacity: maxNegatives + 1)
        table = Scratch.allocate(capacity: sigmoid.size)
        table.initialize(from: sigmoid.values, count: sigmoid.size)
        tableSize = sigmoid.size
        tableScale = Float(sigmoid.size) / SigmoidTable.maxExp / 2
    }

    /// Frees the scratch; the owner calls it once.
    func deallocate() {
        Scratch.free(neu1e); Scratch.free(words); Scratch.free(rows); Scratch.free(gains); Scratch.free(table)
    }

    /// σ(x) exactly as `SigmoidTable.callAsFunction`.
    @inline(__always)
    func sigmoid(_ x: Float) -> Float {
        if x >= SigmoidTable.maxExp { return 1 }
        if x <= -SigmoidTable.maxExp { return 0 }
        return table[min(max(Int((x + SigmoidTable.maxExp) * tableScale), 0), tableSize - 1)]
    }

    /// The gain α (label − σ(f)) of one output, 0 where |f| ≥ 6: gensim skips saturated pairs
    /// (word2vec.c instead applies label − 0 or label − 1 there, a full-strength step).
    @inline(__always)
    func gain(_ f: Float, positive: Bool, alpha: Float) -> Float {
        guard f > -SigmoidTable.maxExp && f < SigmoidTable.maxExp else { return 0 }
        return ((positive ? 1 : 0) - sigmoid(f)) * alpha
    }

    /// One pair: context row `context` of syn0 predicts `center` (label 1) and not each of the
    /// `negativeCount` words at `negatives` (label 0); negatives equal to the center are skipped,
    /// as in word2vec.c. Returns the pair's loss Σ −log σ(±f) when `computeLoss` (tests), else 0.
    ///
    /// When the output words are distinct, no output row is read after another output's update
    /// wrote it, so all dot products can be taken first (their rows load in parallel instead of
    /// one after another) and the updates done in one pass over the rows: the same arithmetic in
    /// the same order as the sequential loop, so the same bits (see PairKernelTests). A repeated
    /// negative takes the sequential loop.
    @inline(__always)
    @discardableResult
    func train(context: Int32, center: Int32, negatives: UnsafePointer<Int32>, negativeCount: Int,
               syn0: UnsafeMutablePointer<Float>, syn1: UnsafeMutablePointer<Float>, alpha: Float,
               computeLoss: Bool = false, fused: Bool = true) -> Double {
        let d = dim
        let h = syn0 + Int(context) * d
        var m = 1
        words[0] = center
        var distinct = true
        for k in 0..<negativeCount where negatives[k] != center {
            let w = negatives[k]
            for j in 1..<m where words[j] == w { distinct = false }
            words[m] = w
            m += 1
        }
        guard distinct, fused else {
            return sequential(h: h, count: m, syn1: syn1, alpha: alpha, computeLoss: computeLoss)
        }
        for j in 0..<m { rows[j] = syn1 + Int(words[j]) * d }
        var j = 0
        while j + 3 <= m {
            Self.dot3(h, rows[j], rows[j + 1], rows[j + 2], d, into: gains + j)
            j += 3
        }
        while j < m {
            gains[j] = Self.dot(h, rows[j], d)
            j += 1
        }
        var loss = 0.0
        for j in 0..<m {
            let f = gains[j]
            if computeLoss { loss += Self.logLoss(j == 0 ? f : -f) }
            gains[j] = gain(f, positive: j == 0, alpha: alpha)
        }
        // e = Σ g_j · o_j and o_j += g_j · h, chunk by chunk; then h += e.
        let rh = UnsafeMutableRawPointer(h)
        var i = 0
        while i + 8 <= d {
            let hv = rh.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            var ev = SIMD8<Float>()
            for j in 0..<m {
                let ro = UnsafeMutableRawPointer(rows[j])
                let ov = ro.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                let gv = SIMD8<Float>(repeating: gains[j])
                ev += gv * ov
                ro.storeBytes(of: ov + gv * hv, toByteOffset: i * 4, as: SIMD8<Float>.self)
            }
            rh.storeBytes(of: hv + ev, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < d {
            var e: Float = 0
            for j in 0..<m {
                e += gains[j] * rows[j][i]
                rows[j][i] += gains[j] * h[i]
            }
            h[i] += e
            i += 1
        }
        return loss
    }

    /// word2vec.c's loop as written: output by output, each seeing the updates before it.
    func sequential(h: UnsafeMutablePointer<Float>, count m: Int, syn1: UnsafeMutablePointer<Float>,
                    alpha: Float, computeLoss: Bool) -> Double {
        let d = dim, e = neu1e
        e.update(repeating: 0, count: d)
        var loss = 0.0
        for j in 0..<m {
            let o = syn1 + Int(words[j]) * d
            let f = Self.dot(h, o, d)
            let g = gain(f, positive: j == 0, alpha: alpha)
            if computeLoss { loss += Self.logLoss(j == 0 ? f : -f) }
            Self.accumulate(g, h, o, e, d)
        }
        Self.axpy(1, e, h, d)
        return loss
    }

    /// −log σ(z), computed stably.
    static func logLoss(_ x: Float) -> Double {
        let z = Double(x)
        return z > 0 ? log1p(exp(-z)) : -z + log1p(exp(z))
    }

    /// x · y over n floats: one 8-wide accumulator, then a scalar tail (the order `dot3` uses, so
    /// the sequential loop and the one-pass update agree to the bit).
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            acc += rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += x[i] * y[i]
            i += 1
        }
        return s
    }

    /// h · a, h · b and h · c in one pass over h, so that the three rows load side by side.
    @inline(__always)
    static func dot3(_ h: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                     _ c: UnsafePointer<Float>, _ n: Int, into out: UnsafeMutablePointer<Float>) {
        let rh = UnsafeRawPointer(h), ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), rc = UnsafeRawPointer(c)
        var sa = SIMD8<Float>(), sb = SIMD8<Float>(), sc = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            let hv = rh.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            sa += hv * ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            sb += hv * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            sc += hv * rc.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var ta = sa.sum(), tb = sb.sum(), tc = sc.sum()
        while i < n {
            ta += h[i] * a[i]
            tb += h[i] * b[i]
            tc += h[i] * c[i]
            i += 1
        }
        out[0] = ta; out[1] = tb; out[2] = tc
    }

    /// e += g · o, then o += g · h, in one pass over the three rows.
    @inline(__always)
    static func accumulate(_ g: Float, _ h: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>,
                           _ e: UnsafeMutablePointer<Float>, _ n: Int) {
        let rh = UnsafeRawPointer(h), ro = UnsafeMutableRawPointer(o), re = UnsafeMutableRawPointer(e)
        let gv = SIMD8<Float>(repeating: g)
        var i = 0
        while i + 8 <= n {
            let ov = ro.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let ev = re.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) + gv * ov
            re.storeBytes(of: ev, toByteOffset: i * 4, as: SIMD8<Float>.self)
            let nv = ov + gv * rh.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ro.storeBytes(of: nv, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            e[i] += g * o[i]
            o[i] += g * h[i]
            i += 1
        }
    }

    /// y += a · x over n floats.
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let av = SIMD8<Float>(repeating: a)
        var i = 0
        while i + 8 <= n {
            let v = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                + av * rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            y[i] += a * x[i]
            i += 1
        }
    }
}
