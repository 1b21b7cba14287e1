import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Open MPI, loaded with `dlopen` when a process finds itself started by `mpirun`. Linking libmpi
/// at build time would make Open MPI a requirement of every build and every user; loading it
/// only here keeps it the requirement of distributed runs alone. Open MPI's handles
/// (`MPI_COMM_WORLD`, `MPI_FLOAT`, `MPI_SUM`, ...) are the addresses of exported globals
/// (`ompi_mpi_comm_world`, ...), so `dlsym` finds them like the functions. Every call comes from
/// one thread at a time (MPI_THREAD_SERIALIZED): training loops call collectives between steps,
/// and the word2vec sync runs on one worker while the others keep training.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int

    private typealias Handle = UnsafeMutableRawPointer
    private typealias InitThreadFn = @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?, Int32, UnsafeMutablePointer<Int32>) -> Int32
    private typealias CommIntFn = @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    private typealias AllreduceFn = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Handle, Handle, Handle) -> Int32
    private typealias BcastFn = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle, Int32, Handle) -> Int32
    private typealias AllgatherFn = @convention(c) (UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, Int32, Handle, Handle) -> Int32
    private typealias AbortFn = @convention(c) (Handle, Int32) -> Int32
    private typealias FinalizeFn = @convention(c) () -> Int32

    private let world, float, double, byte, sum, max: Handle
    private let allreduceFn: AllreduceFn
    private let bcastFn: BcastFn
    private let allgatherFn: AllgatherFn
    private let abortFn: AbortFn
    private let finalizeFn: FinalizeFn
    private var finalized = false
    /// Open MPI's MPI_IN_PLACE.
    private static let inPlace = UnsafeRawPointer(bitPattern: 1)

    /// Loads libmpi and joins the job (MPI_Init_thread). Throws one line naming what is missing.
    static func load() throws -> MPICommunicator {
        // LYRICS_MPI_LIBRARY names another build of Open MPI's libmpi (a path or a soname).
        let names = ProcessInfo.processInfo.environment["LYRICS_MPI_LIBRARY"].map { [$0] } ?? ["libmpi.so.40", "libmpi.so"]
        // RTLD_GLOBAL: Open MPI's own plugins resolve their symbols against libmpi.
        guard let lib = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_GLOBAL) }).first else {
            throw LyricsError("mpi: started by mpirun but Open MPI's library (\(names.joined(separator: " or "))) cannot be loaded; install Open MPI (Debian: apt install openmpi-bin) or run without mpirun")
        }
        func sym(_ name: String) throws -> Handle {
            guard let p = dlsym(lib, name) else { throw LyricsError("mpi: libmpi has no symbol \(name); distributed training needs Open MPI 4 or later") }
            return p
        }
        func fn<T>(_ name: String, _: T.Type) throws -> T { unsafeBitCast(try sym(name), to: T.self) }
        let initThread = try fn("MPI_Init_thread", InitThreadFn.self)
        let serialized: Int32 = 2  // MPI_THREAD_SERIALIZED in Open MPI's mpi.h
        var provided: Int32 = 0
        guard initThread(nil, nil, serialized, &provided) == 0 else { throw LyricsError("mpi: MPI_Init_thread failed") }
        guard provided >= serialized else { throw LyricsError("mpi: this Open MPI does not allow calls from more than one thread (MPI_THREAD_SERIALIZED)") }
        return try MPICommunicator(world: try sym("ompi_mpi_comm_world"), float: try sym("ompi_mpi_float"), double: try sym("ompi_mpi_double"),
                                   byte: try sym("ompi_mpi_byte"), sum: try sym("ompi_mpi_op_sum"), max: try sym("ompi_mpi_op_max"),
                                   rankFn: try fn("MPI_Comm_rank", CommIntFn.self), sizeFn: try fn("MPI_Comm_size", CommIntFn.self),
                                   allreduce: try fn("MPI_Allreduce", AllreduceFn.self), bcast: try fn("MPI_Bcast", BcastFn.self),
                                   allgather: try fn("MPI_Allgather", AllgatherFn.self), abort: try fn("MPI_Abort", AbortFn.self),
                                   finalize: try fn("MPI_Finalize", FinalizeFn.self))
    }

    private init(world: Handle, float: Handle, double: Handle, byte: Handle, sum: Handle, max: Handle,
                 rankFn: CommIntFn, sizeFn: CommIntFn, allreduce: AllreduceFn, bcast: BcastFn, allgather: AllgatherFn,
                 abort: AbortFn, finalize: FinalizeFn) throws {
        self.world = world; self.float = float; self.double = double; self.byte = byte; self.sum = sum; self.max = max
        allreduceFn = allreduce; bcastFn = bcast; allgatherFn = allgather; abortFn = abort; finalizeFn = finalize
        var r: Int32 = 0, s: Int32 = 0
        guard rankFn(world, &r) == 0, sizeFn(world, &s) == 0 else { throw LyricsError("mpi: cannot read this process's rank") }
        rank = Int(r)
        size = Int(s)
    }

    /// MPI counts are 32-bit: long buffers go in pieces.
    private static let piece = 1 << 28

    private func check(_ rc: Int32, _ what: String) {
        guard rc == 0 else {
            FileHandle.standardError.write(Data("error: mpi: \(what) failed on rank \(rank) (code \(rc))\n".utf8))
            abort(code: 1)
        }
    }

    public func allreduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) {
        var done = 0
        while done < count {
            let n = Swift.min(Self.piece, count - done)
            check(allreduceFn(Self.inPlace, values + done, Int32(n), float, sum, world), "MPI_Allreduce")
            done += n
        }
    }

    public func allreduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) {
        guard count > 0 else { return }
        check(allreduceFn(Self.inPlace, values, Int32(count), double, sum, world), "MPI_Allreduce")
    }

    public func allreduceMax(_ values: UnsafeMutablePointer<Double>, count: Int) {
        guard count > 0 else { return }
        check(allreduceFn(Self.inPlace, values, Int32(count), double, max, world), "MPI_Allreduce")
    }

    public func broadcast(_ bytes: UnsafeMutableRawPointer, count: Int, root: Int) {
        var done = 0
        while done < count {
            let n = Swift.min(Self.piece, count - done)
            check(bcastFn(bytes + done, Int32(n), byte, Int32(root), world), "MPI_Bcast")
            done += n
        }
    }

    public func allgather(_ bytes: UnsafeRawPointer, count: Int, into: UnsafeMutableRawPointer) {
        precondition(count < Int(Int32.max), "allgather piece too large")
        check(allgatherFn(bytes, Int32(count), byte, into, Int32(count), byte, world), "MPI_Allgather")
    }

    public func abort(code: Int32) -> Never {
        _ = abortFn(world, code)
        exit(code)
    }

    func finalize() {
        guard !finalized else { return }
        finalized = true
        _ = finalizeFn()
    }
}
