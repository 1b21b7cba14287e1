#if canImport(Glibc)
import Glibc
#endif

/// How the server asks the C allocator (glibc's malloc) to hold memory, so that its resident
/// size follows the memory it uses under a long mixed load (docs/reliability.md, the soak):
///
/// - **One arena per core.** Threads that contend for the heap get arenas of their own (up to
///   eight per core), and memory freed in one arena serves only that arena; requests hop
///   between Swift's concurrency threads, NIO's event loops and Dispatch's generation threads.
/// - **A fixed mmap threshold (128 KiB).** A song's candidate streams allocate scores and
///   logits of a few hundred KiB to a few MiB per request, sized by the batch. glibc serves such
///   blocks by mmap and returns them on free, but after the first free it raises the threshold
///   (up to 32 MiB) and serves later ones from the heap, where they fragment and stay resident.
///   A fixed threshold turns that off: large blocks go back to the system when freed.
public enum ServerMemory {
    /// Call once, as the server starts (before the load, so few arenas exist yet). `mallopt`
    /// is looked up at run time: Swift's Glibc module does not carry <malloc.h>, and another
    /// C library (musl) lacks it, which leaves the allocator as it was.
    public static func configure(arenasPerCore: Int = 1, mmapThreshold: Int = 128 << 10) {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        let arenaMax: Int32 = -8, mmapThresholdOption: Int32 = -3  // M_ARENA_MAX, M_MMAP_THRESHOLD in <malloc.h>
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        _ = mallopt(arenaMax, Int32(cores * arenasPerCore))
        _ = mallopt(mmapThresholdOption, Int32(mmapThreshold))
        #endif
    }
}
