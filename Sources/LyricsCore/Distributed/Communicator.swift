import Foundation

/// The collective operations distributed training needs, over the ranks of one job. Training code
/// calls these at the same points on every rank (in the same order, with the same counts): that
/// is MPI's contract, and a rank that skips a call leaves the others waiting.
///
/// `SingleProcess` (one rank, every operation the identity) is what a run started without
/// `mpirun` gets, so the training loops have one code path. `MPICommunicator` is Open MPI, loaded
/// at run time (see `Distributed`), so building and using the tool never needs Open MPI.
public protocol Communicator: AnyObject {
    /// This process's rank, 0..<size; rank 0 writes files and prints progress.
    var rank: Int { get }
    var size: Int { get }
    /// Element-wise sum over ranks, in place; every rank ends with the same values.
    func allreduceSum(_ values: UnsafeMutablePointer<Float>, count: Int)
    func allreduceSum(_ values: UnsafeMutablePointer<Double>, count: Int)
    /// Element-wise maximum over ranks, in place.
    func allreduceMax(_ values: UnsafeMutablePointer<Double>, count: Int)
    /// Rank `root`'s bytes, copied to every rank.
    func broadcast(_ bytes: UnsafeMutableRawPointer, count: Int, root: Int)
    /// Every rank's `count` bytes, concatenated in rank order into `into` (`size · count` bytes).
    func allgather(_ bytes: UnsafeRawPointer, count: Int, into: UnsafeMutableRawPointer)
    /// Ends the whole job at once (every rank) with `code`, after a rank has printed why.
    func abort(code: Int32) -> Never
}

extension Communicator {
    public var isDistributed: Bool { size > 1 }
    public var isRoot: Bool { rank == 0 }

    public func allreduceSum(_ values: inout [Double]) {
        let n = values.count
        values.withUnsafeMutableBufferPointer { allreduceSum($0.baseAddress!, count: n) }
    }

    public func allreduceMax(_ values: inout [Double]) {
        let n = values.count
        values.withUnsafeMutableBufferPointer { allreduceMax($0.baseAddress!, count: n) }
    }
}

/// One process, no MPI: every collective is the identity.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allreduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) {}
    public func allreduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) {}
    public func allreduceMax(_ values: UnsafeMutablePointer<Double>, count: Int) {}
    public func broadcast(_ bytes: UnsafeMutableRawPointer, count: Int, root: Int) {}
    public func allgather(_ bytes: UnsafeRawPointer, count: Int, into: UnsafeMutableRawPointer) {
        into.copyMemory(from: bytes, byteCount: count)
    }
    public func abort(code: Int32) -> Never { exit(code) }
}

/// The job this process belongs to. `world` is decided once, on first use: a process started by
/// Open MPI's `mpirun` (which sets `OMPI_COMM_WORLD_SIZE`) loads libmpi and joins the job;
/// any other process is a `SingleProcess`. Started by `mpirun` but without a loadable libmpi
/// (or by another MPI's launcher) is an error, not a silent single-process run, because N
/// copies of one run would each write the same files.
public enum Distributed {
    nonisolated(unsafe) private static var current: Communicator?
    nonisolated(unsafe) private static var mpi: MPICommunicator?

    /// How many ranks the launcher says this job has (nil when not launched by an MPI launcher).
    private static var launchedSize: Int? {
        let env = ProcessInfo.processInfo.environment
        for key in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"] {
            if let v = env[key], let n = Int(v) { return n }
        }
        return nil
    }

    /// The job; joins MPI on first use when launched by `mpirun`.
    public static func world() throws -> Communicator {
        if let current { return current }
        let env = ProcessInfo.processInfo.environment
        let made: Communicator
        if env["OMPI_COMM_WORLD_SIZE"] != nil {
            let m = try MPICommunicator.load()
            mpi = m
            made = m
            // Results and progress come from rank 0 alone; other ranks keep stderr for errors.
            if m.rank != 0, let null = fopen("/dev/null", "w") { fflush(stdout); dup2(fileno(null), 1) }
        } else if let n = launchedSize {
            throw LyricsError("mpi: started by an MPI launcher with \(n) rank(s) that is not Open MPI's mpirun; distributed training supports Open MPI (Debian: openmpi-bin)")
        } else {
            made = SingleProcess()
        }
        current = made
        return made
    }

    /// The job when one was joined, else a single process (never loads MPI).
    public static var joined: Communicator { current ?? SingleProcess() }

    /// Whether the ranks have agreed that setup worked (`agree`); until then no rank may start a
    /// collective of its own, so that a rank that fails during setup can still tell the others.
    nonisolated(unsafe) public private(set) static var agreed = false

    /// The end of setup on every rank: one collective in which each rank says whether its setup
    /// worked and what it is about to run (`fingerprint`: its options and data). When every rank
    /// is ready and all fingerprints match, training starts; otherwise every rank learns why and
    /// the job ends with one error line (from the lowest failing rank, or rank 0 naming the ranks
    /// that read different data or options). A single process returns at once.
    public static func agree(fingerprint: UInt64) throws {
        try agree(failed: false, fingerprint: fingerprint)
    }

    private static func agree(failed: Bool, fingerprint: UInt64) throws {
        let world = joined
        guard world.isDistributed, !agreed else { agreed = true; return }
        agreed = true
        let mine: [UInt64] = [failed ? 1 : 0, fingerprint]
        var all = [UInt64](repeating: 0, count: 2 * world.size)
        mine.withUnsafeBytes { m in all.withUnsafeMutableBytes { a in world.allgather(m.baseAddress!, count: 16, into: a.baseAddress!) } }
        let failedRanks = (0..<world.size).filter { all[2 * $0] != 0 }
        if let first = failedRanks.first { throw SetupFailed(printer: first, error: nil) }
        let differing = (0..<world.size).filter { all[2 * $0 + 1] != all[1] }
        if !differing.isEmpty {
            throw SetupFailed(printer: 0, error: LyricsError("mpi: rank(s) \(differing.map(String.init).joined(separator: ", ")) of \(world.size) were started with a different corpus or options than rank 0; run the same command on the same files on every rank"))
        }
    }

    /// Setup did not succeed everywhere: rank `printer` says why (its own error when `error` is nil).
    struct SetupFailed: Error, CustomStringConvertible {
        let printer: Int
        let error: LyricsError?
        var description: String { error?.description ?? "setup failed on rank \(printer)" }
    }

    /// The error path of a distributed run; `line` is the `error: ...` line. During setup every
    /// rank meets in `agree`, the lowest failing rank prints, and all leave MPI cleanly. Once
    /// training runs, rank 0 prints (another rank prints its own line, marked with its rank, after
    /// giving rank 0 a moment, since most errors then happen on every rank at once) and the job
    /// is aborted, so no rank waits forever in a collective.
    public static func fail(_ error: Error, line: (Error) -> String, code: Int32) -> Never {
        let world = joined
        guard world.isDistributed else {
            FileHandle.standardError.write(Data("error: \(line(error))\n".utf8))
            exit(code)
        }
        if !agreed {
            var printer = world.rank
            do { try agree(failed: true, fingerprint: 0) } catch let e as SetupFailed { printer = e.printer } catch {}
            if printer == world.rank { FileHandle.standardError.write(Data("error: \(line(error))\n".utf8)) }
            finish()
            exit(code)
        }
        if let e = error as? SetupFailed {
            if e.printer == world.rank { FileHandle.standardError.write(Data("error: \(line(e.error ?? e))\n".utf8)) }
            finish()
            exit(code)
        }
        if world.isRoot {
            FileHandle.standardError.write(Data("error: \(line(error))\n".utf8))
        } else {
            usleep(500_000)
            FileHandle.standardError.write(Data("error: rank \(world.rank): \(line(error))\n".utf8))
        }
        world.abort(code: code)
    }

    /// Leaves the MPI job cleanly (MPI_Finalize) when one was joined; call once before exiting.
    public static func finish() {
        mpi?.finalize()
        mpi = nil
    }
}
