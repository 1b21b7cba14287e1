import Foundation
import LyricsCore
import NeuralNet
import TestSupport
import XCTest

/// Data-parallel LSTM training under Open MPI, end to end: the built `lyrics` started by
/// `mpirun -np 2 --oversubscribe` on this machine's loopback. Two ranks with B/2 streams each
/// must give the weights one process gives with B streams (up to float summation order: the
/// gradient is a sum over ranks instead of one sum), a killed rank must end the job and leave a
/// checkpoint that resumes, and bad starts must be refused with one error line. Skips when
/// `mpirun` is not installed (`.ci/run` installs openmpi-bin).
final class DistributedTrainingTests: XCTestCase {
    var exe: URL!
    var dir: URL!
    var mpirun: String!

    override func setUpWithError() throws {
        let exe = try LyricsExecutable.orSkip(for: Self.self)
        guard let mpirun = Self.which("mpirun") else { throw XCTSkip("mpirun not installed (Debian: openmpi-bin)") }
        self.exe = exe
        self.mpirun = mpirun
        dir = try temporaryFolder("distributed")
        addTeardownBlock { [dir] in try? FileManager.default.removeItem(at: dir!) }
        var rng = SeededRandom(seed: 7)
        let words = ["the", "night", "is", "long", "and", "cold", "my", "heart", "sings", "of", "summer", "rain", "light", "falls"]
        let lines = (0..<400).map { _ in (0..<(3 + Int(rng.next() % 5))).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ") }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("corpus.txt"))
        try Data((lines.reversed().joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("other.txt"))
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Open MPI refuses to run as root unless told, and needs --oversubscribe for 2 ranks on a
    /// machine it counts as having fewer slots.
    static let environment = ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"]

    /// Starts `program args` in the test folder; `wait` false returns the running process.
    @discardableResult
    func start(_ program: String, _ args: [String], extraEnv: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.currentDirectoryURL = dir
        p.environment = ProcessInfo.processInfo.environment.merging(Self.environment.merging(extraEnv) { $1 }) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    func finish(_ started: (Process, Pipe, Pipe)) -> (status: Int32, out: String, err: String) {
        let (p, out, err) = started
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func lyrics(_ args: [String], ranks: Int? = nil, extraEnv: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        if let ranks {
            return finish(try start(mpirun, ["-np", String(ranks), "--oversubscribe", exe.path] + args, extraEnv: extraEnv))
        }
        return finish(try start(exe.path, args, extraEnv: extraEnv))
    }

    /// Every tensor of a safetensors file by name.
    func tensors(_ name: String) throws -> [String: [Float]] {
        let f = try SafeTensors.File(path: dir.appendingPathComponent(name).path)
        var all = [String: [Float]]()
        for (key, shape) in f.shapes {
            var v = [Float](repeating: 0, count: shape.reduce(1, *))
            try v.withUnsafeMutableBufferPointer { try f.read(key, into: $0) }
            all[key] = v
        }
        return all
    }

    /// Same tensor names; the largest difference relative to the tensor's largest magnitude.
    func assertSameWeights(_ a: String, _ b: String, tolerance: Float, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = try tensors(a), y = try tensors(b)
        XCTAssertEqual(Set(x.keys), Set(y.keys), file: file, line: line)
        var worst: Float = 0, worstName = ""
        for (k, u) in x {
            guard let v = y[k], v.count == u.count else { XCTFail("\(k) differs in shape", file: file, line: line); continue }
            let scale = max(u.map(abs).max() ?? 0, 1e-6)
            let d = zip(u, v).map { abs($0 - $1) }.max() ?? 0
            if d / scale > worst { worst = d / scale; worstName = k }
        }
        print("largest relative difference \(worst) in \(worstName)")
        XCTAssertLessThan(worst, tolerance, "\(worstName)", file: file, line: line)
    }

    let charRun = ["char", "train", "--corpus", "corpus.txt", "--hidden", "24", "--layers", "1", "--embedding", "8", "--batch", "4",
                   "--seq-length", "16", "--eval-every", "10", "--threads", "1", "--seed", "3", "--quiet", "--precision", "fp32"]

    /// 2 ranks × 2 streams = 1 process × 4 streams, char LSTM, 30 Adam steps with validation:
    /// weights, optimizer moments and carried state agree to 1e-4 of each tensor's scale. In
    /// fp32: in bf16 the ranks' different summation order moves values across bf16 rounding
    /// boundaries, and 30 steps amplify that past any tight tolerance.
    func testTwoRanksTrainTheSameCharModelAsOneProcess() throws {
        var r = try lyrics(charRun + ["--steps", "30", "--output", "one.safetensors"])
        XCTAssertEqual(r.status, 0, r.err)
        r = try lyrics(charRun + ["--steps", "30", "--output", "two.safetensors"], ranks: 2)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("steps 30 "), "one summary, from rank 0: \(r.out)")
        XCTAssertEqual(r.out.split(separator: "\n").count, 1, r.out)
        try assertSameWeights("one.safetensors", "two.safetensors", tolerance: 1e-4)
        // A checkpoint written by 2 ranks continues in one process, and the reverse.
        r = try lyrics(["char", "train", "--resume", "two.safetensors", "--steps", "40", "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        r = try lyrics(["char", "train", "--resume", "one.safetensors", "--steps", "40", "--quiet"], ranks: 2)
        XCTAssertEqual(r.status, 0, r.err)
        try assertSameWeights("one.safetensors", "two.safetensors", tolerance: 1e-4)
    }

    /// The word model (vMF head, fine-tuned input vectors) over vectors trained here.
    func testTwoRanksTrainTheSameWordModelAsOneProcess() throws {
        var r = try lyrics(["vectors", "train", "--corpus", "corpus.txt", "--part", "all", "--out", "v", "--dimensions", "12", "--epochs", "1",
                            "--min-count", "1", "--threads", "1", "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        let run = ["word", "train", "--corpus", "corpus.txt", "--vectors", "v.bin", "--hidden", "16", "--layers", "1", "--batch", "4",
                   "--seq-length", "6", "--steps", "20", "--eval-every", "10", "--dropout", "0", "--fine-tune-vectors", "--threads", "1", "--quiet", "--precision", "fp32"]
        r = try lyrics(run + ["--output", "w1.safetensors"])
        XCTAssertEqual(r.status, 0, r.err)
        r = try lyrics(run + ["--output", "w2.safetensors"], ranks: 2)
        XCTAssertEqual(r.status, 0, r.err)
        try assertSameWeights("w1.safetensors", "w2.safetensors", tolerance: 1e-4)
    }

    /// SIGKILL to rank 1 after the first periodic save: mpirun ends the job (non-zero, naming
    /// the killed rank), the checkpoint on disk is whole, and `--resume` alone finishes the run
    /// in one process.
    func testKilledRankEndsTheJobAndTheCheckpointResumes() throws {
        let ckpt = dir.appendingPathComponent("k.safetensors")
        let job = try start(mpirun, ["-np", "2", "--oversubscribe", exe.path] + charRun
                            + ["--epochs", "2", "--patience", "0", "--save-every", "0.005", "--output", ckpt.path])
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: ckpt.path), job.0.isRunning, Date() < deadline { usleep(50_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: ckpt.path), "no checkpoint was written")
        usleep(UInt32.random(in: 0...400_000))
        let victims = Self.processes(withArgument: ckpt.path, rank: 1)
        XCTAssertEqual(victims.count, 1, "rank 1 not found")
        for pid in victims { kill(pid, SIGKILL) }
        let r = finish(job)
        XCTAssertNotEqual(r.status, 0, "the job must fail when a rank dies")
        XCTAssertTrue(r.err.contains("rank 1") && r.err.contains("signal 9"), r.err)
        let resumed = try lyrics(["char", "train", "--resume", ckpt.path, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertTrue(resumed.out.contains("valid bpc"), resumed.out)
        XCTAssertTrue(try SafeTensors.File(path: ckpt.path).metadata["state"]!.contains("\"stopReason\":\"finished\""))
    }

    /// Processes whose command line holds `argument` and whose environment says MPI rank `rank`.
    static func processes(withArgument argument: String, rank: Int) -> [pid_t] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.compactMap { Int32($0) }.filter { pid in
            guard let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                  String(decoding: cmd, as: UTF8.self).contains(argument),
                  let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return env.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "OMPI_COMM_WORLD_RANK=\(rank)" }
        }
    }

    /// The one `error: ` line of a failed job (mpirun adds its own banner after it).
    func assertRefused(_ r: (status: Int32, out: String, err: String), _ start: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, file: file, line: line)
        let errors = r.err.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        XCTAssertEqual(errors.count, 1, r.err, file: file, line: line)
        XCTAssertTrue(errors.first?.hasPrefix("error: " + start) ?? false, r.err, file: file, line: line)
        XCTAssertEqual(r.out, "", file: file, line: line)
    }

    func testBadDistributedStartsAreRefusedWithOneLine() throws {
        // Streams that do not split over the ranks.
        assertRefused(try lyrics(charRun + ["--batch", "5", "--steps", "2", "--output", "b.safetensors"], ranks: 2), "--batch: 5 streams")
        // Ranks that read different corpora (rank 1 is pointed at another file).
        let script = dir.appendingPathComponent("per-rank.sh")
        try Data("#!/bin/sh\nc=corpus.txt; [ \"$OMPI_COMM_WORLD_RANK\" = 1 ] && c=other.txt\nexec \"$@\" --corpus $c\n".utf8).write(to: script)
        chmod(script.path, 0o755)
        let args = ["char", "train", "--hidden", "8", "--layers", "1", "--batch", "4", "--steps", "2", "--threads", "1", "--output", "d.safetensors"]
        let r = finish(try start(mpirun, ["-np", "2", "--oversubscribe", script.path, exe.path] + args))
        assertRefused(r, "mpi: rank(s) 1 of 2 were started with a different corpus")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("d.safetensors").path))
        // A command that does not run distributed.
        assertRefused(try lyrics(["generate", "--words", "3"], ranks: 2), "mpi: this command does not run distributed")
        // Started as if by mpirun, but libmpi cannot be loaded: one line, no mpirun banner.
        let missing = try lyrics(charRun + ["--steps", "2", "--output", "m.safetensors"],
                                 extraEnv: ["OMPI_COMM_WORLD_SIZE": "2", "LYRICS_MPI_LIBRARY": "/nonexistent/libmpi.so.40"])
        assertRefused(missing, "mpi: started by mpirun but Open MPI's library")
        XCTAssertEqual(missing.err.split(separator: "\n").count, 1, missing.err)
    }
}
