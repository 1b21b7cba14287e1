import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The ranks of a job as threads of this process: `ThreadRanks.run(size:)` starts `size` threads,
/// each with its own `Communicator` whose collectives meet the others' at a barrier.
///
/// Why: hogwild threads share one copy of the word vectors, and on this VM two threads writing
/// the same rows ran at half the speed of two processes (docs/bench-word2vec.md): each write to a
/// row the other thread holds moves a cache line between the vCPUs. As ranks, each thread trains
/// its own copy, exactly as `mpirun -np N` ranks do (`DistributedSkipGram`), and the threads meet
/// only to average rows, with no MPI and no second process.
///
/// Every collective is deterministic: sums are taken in rank order, so every rank ends with the
/// same bits whatever the timing.
public final class ThreadRanks {
    private var barrier = pthread_barrier_t()
    private var slots: [UnsafeMutableRawPointer?]
    public let size: Int

    private init(size: Int) {
        self.size = size
        slots = Array(repeating: nil, count: size)
        pthread_barrier_init(&barrier, nil, UInt32(size))
    }

    deinit { pthread_barrier_destroy(&barrier) }

    /// Runs `body(rank)` on `size` new threads (large stacks) and waits for all; returns their
    /// results in rank order.
    public static func run<T>(size: Int, _ body: @escaping (Communicator) -> T) -> [T] {
        let group = ThreadRanks(size: size)
        let results = Results<T>(size: size)
        let done = DispatchGroup()
        for r in 0..<size {
            done.enter()
            let rank = Rank(group: group, rank: r)
            let thread = Thread { results.slots[r] = body(rank); done.leave() }
            thread.stackSize = 1 << 22
            thread.start()
        }
        done.wait()
        return (0..<size).map { results.slots[$0]! }
    }

    /// One result slot per rank; each thread writes only its own.
    private final class Results<T>: @unchecked Sendable {
        let slots: UnsafeMutablePointer<T?>
        let size: Int
        init(size: Int) {
            self.size = size
            slots = .allocate(capacity: size)
            slots.initialize(repeating: nil, count: size)
        }
        deinit { slots.deinitialize(count: size); slots.deallocate() }
    }

    fileprivate func wait() { pthread_barrier_wait(&barrier) }

    /// Every rank publishes `values`; each rank then reduces its own share of the elements over
    /// all ranks in rank order and writes the result into every rank's buffer (a reduce-scatter
    /// and all-gather in one pass, over disjoint shares, so no element is touched twice at once).
    fileprivate func allreduce<E>(_ values: UnsafeMutablePointer<E>, count: Int, rank: Int, _ combine: (E, E) -> E) {
        slots[rank] = UnsafeMutableRawPointer(values)
        wait()
        let lo = count * rank / size, hi = count * (rank + 1) / size
        let buffers = slots.map { $0!.assumingMemoryBound(to: E.self) }
        for i in lo..<hi {
            var v = buffers[0][i]
            for k in 1..<size { v = combine(v, buffers[k][i]) }
            for k in 0..<size { buffers[k][i] = v }
        }
        wait()
    }

    fileprivate func broadcast(_ bytes: UnsafeMutableRawPointer, count: Int, root: Int, rank: Int) {
        slots[rank] = bytes
        wait()
        if rank != root { bytes.copyMemory(from: slots[root]!, byteCount: count) }
        wait()
    }

    fileprivate func allgather(_ bytes: UnsafeRawPointer, count: Int, into: UnsafeMutableRawPointer, rank: Int) {
        slots[rank] = UnsafeMutableRawPointer(mutating: bytes)
        wait()
        for k in 0..<size { (into + k * count).copyMemory(from: slots[k]!, byteCount: count) }
        wait()
    }

    /// One thread's view of the group.
    final class Rank: Communicator {
        let group: ThreadRanks
        let rank: Int
        var size: Int { group.size }

        init(group: ThreadRanks, rank: Int) {
            self.group = group
            self.rank = rank
        }

        func allreduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) { group.allreduce(values, count: count, rank: rank, +) }
        func allreduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) { group.allreduce(values, count: count, rank: rank, +) }
        func allreduceMax(_ values: UnsafeMutablePointer<Double>, count: Int) { group.allreduce(values, count: count, rank: rank, max) }
        func broadcast(_ bytes: UnsafeMutableRawPointer, count: Int, root: Int) { group.broadcast(bytes, count: count, root: root, rank: rank) }
        func allgather(_ bytes: UnsafeRawPointer, count: Int, into: UnsafeMutableRawPointer) {
            group.allgather(bytes, count: count, into: into, rank: rank)
        }
        func abort(code: Int32) -> Never { exit(code) }
    }
}
