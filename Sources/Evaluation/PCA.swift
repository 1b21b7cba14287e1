import LyricsCore

/// Principal component analysis for the report's 2-D picture of chosen word vectors. The
/// covariance is formed with one BLAS ssyrk and diagonalised with LAPACKE's ssyevd, so the
/// projection is the exact leading eigenspace (no iterative approximation to tune).
public enum PCA {
    public struct Result: Sendable {
        /// `rows` x `components`, row-major: each input row's coordinates.
        public var projected: [Float]
        /// Variance captured by each component, largest first.
        public var variances: [Float]
        /// `components` x `dim`, row-major: the principal axes (unit length, sign fixed so the
        /// largest-magnitude entry is positive, making output stable across LAPACK builds).
        public var axes: [Float]
        public var components: Int
    }

    /// Projects `rows` x `dim` row-major data onto its top `components` principal axes.
    public static func project(_ data: [Float], rows: Int, dim: Int, components: Int = 2) throws -> Result {
        guard rows >= 2, dim >= 1, data.count == rows * dim else {
            throw LyricsError("PCA needs at least 2 rows of \(dim) values (got \(data.count) values)")
        }
        let k = min(components, dim)
        var centered = data
        for j in 0..<dim {
            var mean: Float = 0
            for i in 0..<rows { mean += data[i * dim + j] }
            mean /= Float(rows)
            for i in 0..<rows { centered[i * dim + j] -= mean }
        }
        var cov = [Float](repeating: 0, count: dim * dim)
        BLAS.gramUpper(n: dim, k: rows, alpha: 1 / Float(rows - 1), centered, &cov)
        var eigenvalues = [Float](repeating: 0, count: dim)
        let info = LAPACK.symmetricEigen(n: dim, &cov, &eigenvalues)
        guard info == 0 else { throw LyricsError("PCA: symmetric eigen-decomposition failed (info \(info))") }
        // ssyevd returns ascending eigenvalues with eigenvectors in the columns of `cov`.
        var axes = [Float](repeating: 0, count: k * dim)
        var variances = [Float]()
        for c in 0..<k {
            let col = dim - 1 - c
            variances.append(max(eigenvalues[col], 0))
            var biggest: Float = 0
            for j in 0..<dim where abs(cov[j * dim + col]) > abs(biggest) { biggest = cov[j * dim + col] }
            let sign: Float = biggest < 0 ? -1 : 1
            for j in 0..<dim { axes[c * dim + j] = sign * cov[j * dim + col] }
        }
        var projected = [Float](repeating: 0, count: rows * k)
        BLAS.gemm(false, true, rows, k, dim, 1, centered, dim, axes, dim, 0, &projected, k)
        return Result(projected: projected, variances: variances, axes: axes, components: k)
    }
}
