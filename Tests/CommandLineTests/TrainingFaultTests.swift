import Foundation
import LyricsCore
import NeuralNet
import TestSupport
import XCTest

/// Training under faults (docs/reliability.md): a checkpoint save that hits a full disk, a
/// process killed between writing the new checkpoint and renaming it into place, a flipped byte
/// in a checkpoint's tensor data, and a vectors file truncated between runs. In each case the
/// last good checkpoint stays loadable, `--resume` continues from it, and a damaged file is
/// refused with one `error: <file>: <problem>` line. Tiny models: each test takes seconds.
final class TrainingFaultTests: XCTestCase {
    var exe: URL!
    var dir: URL!

    override func setUpWithError() throws {
        exe = try LyricsExecutable.orSkip(for: Self.self)
        dir = try temporaryFolder("training-faults")
        try Data(Fixture.corpusText(lines: 300).utf8).write(to: dir.appendingPathComponent("corpus.txt"))
    }

    let small = ["--hidden", "16", "--layers", "1", "--batch", "2", "--threads", "1", "--quiet", "--seed", "4"]

    func charTrain(_ output: String, steps: Int) -> [String] {
        ["char", "train", "--corpus", "corpus.txt", "--output", output, "--embedding", "4", "--seq-length", "8",
         "--steps", String(steps)] + small
    }

    func run(_ args: [String], shell prefix: String? = nil) throws -> (status: Int32, out: String, err: String) {
        guard let prefix else { return try LyricsExecutable.run(exe, args, in: dir) }
        // `prefix` runs in the shell before `exec lyrics args...` (limits, signals, variables).
        return try LyricsExecutable.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "\(prefix); exec \"$0\" \"$@\"", exe.path] + args, in: dir)
    }

    /// The step a checkpoint was saved at (it must parse, checksum included).
    func savedStep(_ name: String) throws -> Int {
        let file = try SafeTensors.File(path: dir.appendingPathComponent(name).path)
        let state = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(file.meta("state").utf8)) as? [String: Any])
        return try XCTUnwrap(state["step"] as? Int)
    }

    func temporaries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
    }

    func assertOneErrorLine(_ r: (status: Int32, out: String, err: String), naming file: String, _ words: String,
                            file f: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, file: f, line: line)
        let lines = r.err.split(separator: "\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 1, r.err, file: f, line: line)
        XCTAssertTrue(lines.first?.hasPrefix("error: \(file): ") ?? false, r.err, file: f, line: line)
        XCTAssertTrue(r.err.contains(words), r.err, file: f, line: line)
    }

    /// A full disk simulated without root: RLIMIT_FSIZE (`ulimit -f`, 512-byte blocks) below the
    /// checkpoint's size, SIGXFSZ ignored, so the write fails with EFBIG as on a full disk.
    func testSaveOnAFullDiskKeepsTheLastCheckpointAndResumeWorks() throws {
        XCTAssertEqual(try run(charTrain("ck.safetensors", steps: 3)).status, 0)
        let good = try Data(contentsOf: dir.appendingPathComponent("ck.safetensors"))
        let blocks = good.count / 512 / 2
        let r = try run(["char", "train", "--resume", "ck.safetensors", "--steps", "6", "--quiet"], shell: "ulimit -f \(blocks); trap '' XFSZ")
        assertOneErrorLine(r, naming: "ck.safetensors", "write failed: File too large")
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("ck.safetensors")), good, "the last good checkpoint changed")
        XCTAssertEqual(try temporaries(), [], "a half-written temporary file was left")
        XCTAssertEqual(try savedStep("ck.safetensors"), 3)
        let resumed = try run(["char", "train", "--resume", "ck.safetensors", "--steps", "6", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertEqual(try savedStep("ck.safetensors"), 6)
    }

    /// The same on a real full filesystem: a 64 KiB tmpfs, when the tests run as root (mount
    /// needs it); skipped otherwise, the test above covering the case.
    func testSaveOnAFullTmpfsKeepsTheLastCheckpoint() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
        XCTAssertEqual(try run(charTrain("ck.safetensors", steps: 3)).status, 0)
        let mount = dir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let good = try Data(contentsOf: dir.appendingPathComponent("ck.safetensors"))
        let size = (good.count * 3 / 2 + 4095) / 4096 * 4096  // room for one checkpoint, not two
        guard try LyricsExecutable.run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", mount.path], in: dir).status == 0 else {
            throw XCTSkip("cannot mount a tmpfs here")
        }
        defer { _ = try? LyricsExecutable.run(URL(fileURLWithPath: "/bin/umount"), [mount.path], in: dir) }
        try good.write(to: mount.appendingPathComponent("ck.safetensors"))
        let r = try run(["char", "train", "--resume", "small/ck.safetensors", "--steps", "6", "--quiet"])
        assertOneErrorLine(r, naming: "small/ck.safetensors", "write failed: No space left on device")
        XCTAssertEqual(try Data(contentsOf: mount.appendingPathComponent("ck.safetensors")), good)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mount.path), ["ck.safetensors"])
    }

    /// SIGKILL after the new checkpoint is written and before it is renamed into place (the
    /// fault-injection variable makes the process kill itself exactly there).
    func testKillBetweenWriteAndRenameKeepsTheLastCheckpoint() throws {
        XCTAssertEqual(try run(charTrain("ck.safetensors", steps: 3)).status, 0)
        let good = try Data(contentsOf: dir.appendingPathComponent("ck.safetensors"))
        let r = try run(["char", "train", "--resume", "ck.safetensors", "--steps", "6", "--quiet"],
                        shell: "export \(AtomicFile.killBeforeRenameVariable)=1")
        XCTAssertEqual(r.status, SIGKILL, "expected the process to die by SIGKILL: \(r.err)")
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("ck.safetensors")), good)
        XCTAssertEqual(try temporaries().count, 1, "the killed writer's complete temporary file")
        let resumed = try run(["char", "train", "--resume", "ck.safetensors", "--steps", "6", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertEqual(try savedStep("ck.safetensors"), 6)
        XCTAssertEqual(try temporaries(), [], "the dead writer's temporary file is removed by the next save")
    }

    /// One flipped byte in the tensor data: the checksum refuses the file, for resuming,
    /// evaluating and writing alike.
    func testFlippedByteInTensorDataIsRefused() throws {
        XCTAssertEqual(try run(charTrain("ck.safetensors", steps: 3)).status, 0)
        let url = dir.appendingPathComponent("ck.safetensors")
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 5] ^= 0x10
        try bytes.write(to: url)
        for args in [["char", "train", "--resume", "ck.safetensors", "--steps", "6", "--quiet"],
                     ["char", "generate", "--model", "ck.safetensors", "--characters", "20", "--seed", "1"]] {
            assertOneErrorLine(try run(args), naming: "ck.safetensors", "damaged tensor data")
        }
    }

    /// A vectors file truncated after the word model's checkpoint was saved: resuming refuses it
    /// with one line naming the vectors file, the checkpoint is untouched, and once the file is
    /// whole again the run continues.
    func testTruncatedVectorsFileIsRefusedAndResumeWorksAfterward() throws {
        var r = try run(["vectors", "train", "--corpus", "corpus.txt", "--part", "train", "--out", "vectors", "--dimensions", "8",
                         "--epochs", "1", "--min-count", "1", "--threads", "1", "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        r = try run(["word", "train", "--vectors", "vectors.bin", "--corpus", "corpus.txt", "--output", "word.safetensors",
                     "--seq-length", "4", "--steps", "3"] + small)
        XCTAssertEqual(r.status, 0, r.err)
        let vectors = dir.appendingPathComponent("vectors.bin")
        let whole = try Data(contentsOf: vectors)
        let checkpoint = try Data(contentsOf: dir.appendingPathComponent("word.safetensors"))
        try whole.prefix(whole.count * 2 / 3).write(to: vectors)
        r = try run(["word", "train", "--resume", "word.safetensors", "--steps", "6", "--quiet"])
        assertOneErrorLine(r, naming: "vectors.bin", "truncated")
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("word.safetensors")), checkpoint)
        try whole.write(to: vectors)
        r = try run(["word", "train", "--resume", "word.safetensors", "--steps", "6", "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try savedStep("word.safetensors"), 6)
    }
}
