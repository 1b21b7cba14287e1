import CharModel
import Foundation
import LyricsCore
import NeuralNet
import TestSupport
import XCTest

/// A training process killed with SIGKILL at a random moment after its first periodic save,
/// then continued with `lyrics char train --resume FILE` and nothing else, ends with weights
/// bit-identical to an uninterrupted one-thread run: the checkpoint holds the corpus, split,
/// threads and plan as well as every tensor and counter.
final class ResumeAfterKillTests: XCTestCase {
    var exe: URL!
    var dir: URL!

    override func setUpWithError() throws {
        let exe = try LyricsExecutable.orSkip(for: Self.self)
        self.exe = exe
        dir = try temporaryFolder("resume-kill")
        // 400 varied lines, so the run is long enough to be killed in the middle.
        var rng = SeededRandom(seed: 11)
        let words = ["the", "night", "is", "long", "and", "cold", "my", "heart", "sings", "of", "summer", "rain", "light", "falls"]
        let lines = (0..<400).map { _ in (0..<(3 + Int(rng.next() % 5))).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ") }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("corpus.txt"))
    }

    func train(_ output: String, extra: [String] = []) -> [String] {
        ["char", "train", "--corpus", "corpus.txt", "--output", output, "--epochs", "2", "--threads", "1", "--seed", "5",
         "--hidden", "24", "--embedding", "8", "--batch", "4", "--seq-length", "16", "--eval-every", "40", "--patience", "0",
         "--save-every", "0.002", "--quiet"] + extra
    }

    func parameters(_ file: String) throws -> (values: [Float], step: Int) {
        let loaded = try CharCheckpoint.load(dir.appendingPathComponent(file).path)
        let model = try CharCheckpoint.model(loaded, batch: 1, maxSteps: 1)
        let state: CharTrainingState = try SequenceCheckpoint.decode(loaded.file.meta("state"), key: "state", path: loaded.path)
        return (model.parameters.values.array, state.step)
    }

    func testKilledRunResumedWithOnlyResumeMatchesAnUninterruptedRun() throws {
        let whole = try LyricsExecutable.run(exe, train("whole.safetensors"), in: dir)
        XCTAssertEqual(whole.status, 0, whole.err)

        // The same run, killed at a random moment after its first save.
        let p = Process()
        p.executableURL = exe
        p.arguments = train("killed.safetensors")
        p.currentDirectoryURL = dir
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let saved = dir.appendingPathComponent("killed.safetensors").path
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: saved), p.isRunning, Date() < deadline { usleep(2_000) }
        usleep(UInt32.random(in: 0...150_000))
        let killedMidRun = p.isRunning
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertTrue(killedMidRun, "the run ended before it could be killed; make it longer")
        XCTAssertTrue(FileManager.default.fileExists(atPath: saved), "no checkpoint was saved before the kill")
        let atKill = try parameters("killed.safetensors").step

        let resumed = try LyricsExecutable.run(exe, ["char", "train", "--resume", "killed.safetensors", "--quiet"], in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.err)
        let a = try parameters("whole.safetensors"), b = try parameters("killed.safetensors")
        XCTAssertGreaterThan(b.step, atKill, "the resumed run trained on")
        XCTAssertEqual(a.step, b.step)
        XCTAssertEqual(a.values, b.values, "weights after kill + resume differ from the uninterrupted run (killed at step \(atKill))")
    }

    func testResumeRefusesPlanChangesAndStatesBudgetExtensions() throws {
        let first = try LyricsExecutable.run(exe, train("run.safetensors", extra: ["--steps", "30"]), in: dir)
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertEqual(try parameters("run.safetensors").step, 30)

        let changed = try LyricsExecutable.run(exe, ["char", "train", "--resume", "run.safetensors", "--hidden", "32", "--lr", "0.1"], in: dir)
        XCTAssertNotEqual(changed.status, 0)
        XCTAssertTrue(changed.err.hasPrefix("error: run.safetensors: "), changed.err)
        XCTAssertTrue(changed.err.contains("--lr") && changed.err.contains("--hidden"), changed.err)
        XCTAssertEqual(changed.err.split(separator: "\n").count, 1, changed.err)

        let extended = try LyricsExecutable.run(exe, ["char", "train", "--resume", "run.safetensors", "--steps", "45"], in: dir)
        XCTAssertEqual(extended.status, 0, extended.err)
        XCTAssertTrue(extended.err.contains("budget extended: --steps 30 -> 45"), extended.err)
        XCTAssertEqual(try parameters("run.safetensors").step, 45)
    }
}
