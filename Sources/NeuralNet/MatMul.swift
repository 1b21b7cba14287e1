import CKernels
import Dispatch
import LyricsCore

/// The precision of a layer's matrix products during training. `bf16` rounds both inputs of
/// every product to bfloat16 and sums in fp32 (AVX512-BF16's VDPBF16PS, twice the products per
/// cycle of fp32 FMAs); weights, gradients, optimizer state and everything elementwise stay
/// fp32 (the usual mixed-precision recipe). Evaluation and generation always run fp32.
public enum Precision: String, Codable, CaseIterable, Sendable {
    case fp32, bf16

    /// Whether this CPU runs the bf16 kernels (AVX512-BF16 and the OS's zmm state).
    public static let bf16Available = lk_bf16_available() != 0

    /// bf16 where the CPU has it, else fp32: what training uses unless told otherwise.
    public static var fastest: Precision { bf16Available ? .bf16 : .fp32 }
}

/// A right-hand matrix `op(B) [k x n]` packed once into the bf16 panels the kernel reads, then
/// multiplied by many left-hand matrices (a weight matrix is packed once per training step and
/// used at every time step). Storage grows to the largest shape asked for and is reused.
public final class PackedMatrix {
    private var storage: UnsafeMutablePointer<UInt16>
    private var capacity: Int
    public private(set) var k = 0
    public private(set) var n = 0

    public init() {
        capacity = 64
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// Packs `op(B)` (`transposed`: `B` is stored `n x k`), its column panels split over `parts` threads.
    public func pack(transposed: Bool, k: Int, n: Int, _ b: UnsafePointer<Float>, ldb: Int, parts: Int = 1) {
        let size = lk_bf16_packed_size(Int32(k), Int32(n))
        if size > capacity {
            storage.deallocate()
            capacity = size
            storage = .allocate(capacity: size)
        }
        self.k = k
        self.n = n
        let panels = Int(lk_bf16_panels(Int32(n))), s = storage
        Parallel.split(panels, parts: parts, align: 1) { j0, j1 in
            lk_bf16_pack(transposed ? 1 : 0, Int32(k), Int32(n), b, Int32(ldb), s, Int32(j0), Int32(j1))
        }
    }

    /// `C[m x n] = alpha * op(A)[m x k] * op(B) + beta * C` (`transA`: `A` is stored `k x m`),
    /// on the calling thread.
    public func multiply(transA: Bool = false, m: Int, _ a: UnsafePointer<Float>, lda: Int, alpha: Float = 1,
                         beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        lk_bf16_gemm(transA ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), storage, beta, c, Int32(ldc))
    }

    /// The same product with the rows of C split over `parts` threads (each packs its own rows
    /// of A; the sums are the same whatever the split, so results do not depend on threads).
    public func multiply(transA: Bool = false, m: Int, _ a: UnsafePointer<Float>, lda: Int, alpha: Float = 1,
                         beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int, parts: Int) {
        Parallel.split(m, parts: parts, align: 8) { r0, r1 in
            let rows = transA ? a + r0 : a + r0 * lda
            multiply(transA: transA, m: r1 - r0, rows, lda: lda, alpha: alpha, beta: beta, c + r0 * ldc, ldc: ldc)
        }
    }
}

/// The matrix products of a layer in its precision: fp32 goes to OpenBLAS (threaded as
/// configured), bf16 to the packed kernels with the rows split over the configured threads.
public struct MatMul {
    public let precision: Precision
    /// Threads the bf16 path splits work over (OpenBLAS's configured count).
    public var parts: Int { BLAS.threads }

    public init(_ precision: Precision) {
        precondition(precision == .fp32 || Precision.bf16Available, "bf16 products need a CPU with AVX512-BF16")
        self.precision = precision
    }

    /// `op(B) [k x n]` (`transposed`: `B` is stored `n x k`) ready for repeated products: bf16
    /// packs it into `pack` (its panels split over the threads), fp32 uses it as it is.
    /// `repack: false` reuses what `pack` already holds (weights that have not changed since).
    public func prepare(transposed: Bool, k: Int, n: Int, _ b: UnsafePointer<Float>, ldb: Int, into pack: PackedMatrix,
                        repack: Bool = true) -> RightOperand {
        if precision == .bf16, repack || pack.k != k || pack.n != n {
            pack.pack(transposed: transposed, k: k, n: n, b, ldb: ldb, parts: parts)
        }
        return RightOperand(precision: precision, transposed: transposed, k: k, n: n, b: b, ldb: ldb, packed: pack)
    }

    /// `C = alpha * op(A) * op(B) + beta * C`; bf16 packs `op(B)` into `pack` first.
    public func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                     _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                     _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, pack: PackedMatrix) {
        prepare(transposed: transB, k: k, n: n, b, ldb: ldb, into: pack)
            .multiply(transA: transA, m: m, a, lda: lda, alpha: alpha, beta: beta, c, ldc: ldc, parts: parts)
    }
}

/// A right-hand matrix made ready by `MatMul.prepare`: one product call whatever the precision.
public struct RightOperand {
    let precision: Precision
    let transposed: Bool
    let k: Int, n: Int
    let b: UnsafePointer<Float>, ldb: Int
    let packed: PackedMatrix

    /// `C[m x n] = alpha * op(A)[m x k] * op(B) + beta * C` (`transA`: `A` is stored `k x m`).
    /// bf16 splits the rows over `parts` threads; fp32 is one OpenBLAS call (its own threads).
    public func multiply(transA: Bool = false, m: Int, _ a: UnsafePointer<Float>, lda: Int, alpha: Float = 1,
                         beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int, parts: Int = 1) {
        switch precision {
        case .fp32: BLAS.gemm(transA, transposed, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        case .bf16: packed.multiply(transA: transA, m: m, a, lda: lda, alpha: alpha, beta: beta, c, ldc: ldc, parts: parts)
        }
    }
}

/// Work split over threads: the calling thread and Dispatch's pool.
public enum Parallel {
    /// Runs `body(start, end)` over `0..<count` cut into `parts` ranges whose inner bounds are
    /// multiples of `align`, concurrently when more than one range is non-empty.
    public static func split(_ count: Int, parts: Int, align: Int, _ body: (Int, Int) -> Void) {
        let p = max(1, min(parts, (count + align - 1) / max(align, 1)))
        if p == 1 { body(0, count); return }
        let bound = { (i: Int) -> Int in i == p ? count : min(count, (count * i / p + align - 1) / align * align) }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: p) { i in
                let lo = bound(i), hi = bound(i + 1)
                if hi > lo { body(lo, hi) }
            }
        }
    }
}
