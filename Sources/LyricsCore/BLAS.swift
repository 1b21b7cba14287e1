import CBLAS

/// Process-wide BLAS settings. Our trainers run their own threads (hogwild word2vec, parallel
/// streams), so OpenBLAS's own pool is held to one thread by default: nested pools oversubscribe
/// the cores and make one-thread runs non-deterministic.
public enum BLAS {
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    public static var threads: Int { Int(openblas_get_num_threads()) }
}
