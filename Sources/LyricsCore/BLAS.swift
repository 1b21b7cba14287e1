import CBLAS

/// The one door to OpenBLAS and LAPACKE: every BLAS or LAPACK call in the package goes through
/// these thin, row-major wrappers, so the C interface (enums, Int32 sizes) stays in this file.
///
/// Process-wide settings: our trainers run their own threads (hogwild word2vec, parallel
/// streams), so OpenBLAS's own pool is held to one thread by default: nested pools oversubscribe
/// the cores and make one-thread runs non-deterministic.
public enum BLAS {
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// `C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C`.
    @inline(__always)
    public static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                            _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                            _ b: UnsafePointer<Float>, _ ldb: Int,
                            _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        if m == 1 && !transA {
            // One row (batch-1 generation): sgemv avoids sgemm packing the whole weight matrix
            // per call (OpenBLAS 0.3.21 does not forward this case itself).
            gemv(!transB, transB ? n : k, transB ? k : n, alpha, b, ldb, a, beta, c)
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y[m or n] = alpha * op(A) x + beta * y` for a row-major `A[m,n]` (`trans`: Aᵀ x).
    @inline(__always)
    public static func gemv(_ trans: Bool, _ m: Int, _ n: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                            _ x: UnsafePointer<Float>, _ beta: Float, _ y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// Euclidean norm of `x[0..<n]`.
    @inline(__always)
    public static func norm(_ n: Int, _ x: UnsafePointer<Float>) -> Float { cblas_snrm2(Int32(n), x, 1) }

    @inline(__always)
    public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(n), x, 1, y, 1)
    }

    /// `y += alpha * x`.
    @inline(__always)
    public static func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(n), alpha, x, 1, y, 1)
    }

    /// `x *= alpha`.
    @inline(__always)
    public static func scale(_ n: Int, _ alpha: Float, _ x: UnsafeMutablePointer<Float>) { cblas_sscal(Int32(n), alpha, x, 1) }

    /// The upper triangle of `C[n,n] = alpha * Aᵀ A` for a row-major `A[k,n]` (a covariance).
    public static func gramUpper(n: Int, k: Int, alpha: Float, _ a: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(n), 0, c, Int32(n))
    }
}

/// The LAPACK routines the package needs, row-major, with the failure code returned.
public enum LAPACK {
    /// Eigen-decomposition of a symmetric `a[n,n]` (upper triangle read): ascending eigenvalues
    /// into `w`, eigenvectors into the columns of `a`. Returns LAPACK's info (0 = success).
    public static func symmetricEigen(n: Int, _ a: UnsafeMutablePointer<Float>, _ w: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_ssyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(n), a, Int32(n), w))
    }

    /// Replaces a square `a[n,n]` by the Q of its QR decomposition; returns the signs of R's
    /// diagonal (for Haar-uniform random orthogonal matrices) or nil when LAPACK fails.
    public static func orthonormalQ(n: Int, _ a: UnsafeMutablePointer<Float>) -> [Float]? {
        var tau = [Float](repeating: 0, count: n)
        let layout = Int32(LAPACK_ROW_MAJOR)
        guard LAPACKE_sgeqrf(layout, Int32(n), Int32(n), a, Int32(n), &tau) == 0 else { return nil }
        let signs = (0..<n).map { a[$0 * n + $0] < 0 ? Float(-1) : Float(1) }
        guard LAPACKE_sorgqr(layout, Int32(n), Int32(n), Int32(n), a, Int32(n), &tau) == 0 else { return nil }
        return signs
    }
}
