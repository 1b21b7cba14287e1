import ArgumentParser
import Foundation
import LyricsCore
import Evaluation

/// `lyrics fine-tuning-report`: the report `FineTuningReport` builds (a base char model, the
/// models fine-tuned from it and trained from scratch on each small corpus, their test scores
/// and curves, sample blended songs), written as Markdown + notebook + SVG.
struct FineTuningReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fine-tuning-report",
        abstract: "Report fine-tuning vs training from scratch (test bits per character, curves) with sample blends.",
        discussion: "Each --run is NAME=CORPUS,FINE_TUNED,SCRATCH; each --sample is TITLE=TEXT_FILE (e.g. saved `lyrics blend` output)."
    )

    @Option(name: .long, help: "The base char model the fine-tuned models started from.") var base: String
    @Option(name: .customLong("run"), help: "NAME=CORPUS,FINE_TUNED.safetensors,SCRATCH.safetensors (repeatable).") var runs: [String]
    @Option(name: .long, help: "TITLE=FILE: a sample song to show (repeatable).") var sample: [String] = []
    @Option(name: .customLong("output-dir"), help: "Folder for the report files.") var outputDir: String = "notebooks-exported"
    @Option(name: .long, help: "Report file name (without extension).") var name: String = "fine-tuning"
    @Option(name: .long, help: "The command that produced the runs (shown in the report).") var command: String = "scripts/fine-tune-report.sh"
    @Option(name: .long, help: "Extra Markdown paragraph about the setup.") var notes: String = ""
    @Option(name: .long, help: "BLAS threads.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    struct Run { var name, corpus, tuned, scratch: String }

    func parsedRuns() throws -> [Run] {
        try runs.map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            let files = parts.count == 2 ? parts[1].split(separator: ",").map(String.init) : []
            guard files.count == 3 else { throw ValidationError("--run: '\(spec)' must be NAME=CORPUS,FINE_TUNED,SCRATCH") }
            return Run(name: parts[0], corpus: files[0], tuned: files[1], scratch: files[2])
        }
    }

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one --run") }
        _ = try parsedRuns()
        for s in sample where !s.contains("=") { throw ValidationError("--sample: '\(s)' must be TITLE=FILE") }
        guard threads >= 1 else { throw ValidationError("--threads: must be at least 1") }
    }

    func run() throws { try write() }

    private func write() throws {
        BLAS.setThreads(threads)
        let parsed = try parsedRuns().map { FineTuningReport.Run(name: $0.name, corpus: $0.corpus, tuned: $0.tuned, scratch: $0.scratch) }
        let samples = try sample.map { s -> (title: String, text: String) in
            let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], String(decoding: try InputFile.read(parts[1]), as: UTF8.self))
        }
        let report = try FineTuningReport.build(base: base, runs: parsed, samples: samples, command: command, notes: notes)
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        for path in try report.export(to: outputDir, name: name) { print(path) }
    }
}
