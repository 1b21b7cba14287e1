import ArgumentParser
import Blending
import Foundation
import LyricsCore
import CharModel
import NeuralNet
import Evaluation

/// `lyrics blend-report`: the fine-tuning report. Scores a base char model, the models
/// fine-tuned from it and the same architecture trained from scratch on each small corpus's
/// test split, plots their validation curves (from the `.history.json` files `lyrics char
/// fine-tune` writes) and shows sample blended songs, as Markdown + notebook + SVG.
struct BlendReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blend-report",
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
            guard files.count == 3 else { throw ValidationError("--run '\(spec)' must be NAME=CORPUS,FINE_TUNED,SCRATCH") }
            return Run(name: parts[0], corpus: files[0], tuned: files[1], scratch: files[2])
        }
    }

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one --run") }
        _ = try parsedRuns()
        for s in sample where !s.contains("=") { throw ValidationError("--sample '\(s)' must be TITLE=FILE") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws { try runReportingErrors { try write() } }

    /// Test-split bits per character of a checkpoint on a text.
    private func testBits(_ path: String, text: String) throws -> (bits: Double, count: Int) {
        let loaded = try CharCheckpoint.load(path)
        let m = try CharCheckpoint.model(loaded, batch: 16, maxSteps: 100)
        return m.bitsPerCharacter(loaded.vocabulary.encode(text).ids)
    }

    private func write() throws {
        BLAS.setThreads(threads)
        let baseLoaded = try CharCheckpoint.load(base)
        let c = baseLoaded.config
        var report = Report(title: "Fine-tuning a char model on a small corpus vs training from scratch")
        report.add(.text("""
        A base \(c.cell.rawValue.uppercased()) char model (\(c.layers)×\(c.hiddenSize), embedding \(c.embeddingSize)) trained on a \
        large corpus is fine-tuned on each small corpus (base weights and vocabulary, fresh Adam state, lower learning rate) \
        and compared with the same architecture trained from random weights on the small corpus with the same plan. \
        Every model is scored on the small corpus's **test** split (the shared 50-line-block split; never trained or validated on) \
        in bits per character (lower is better). The base model with no tuning is shown for reference.
        """))
        if !notes.isEmpty { report.add(.text(notes)) }
        report.add(.text("Produced by:\n\n```\n\(command)\n```"))
        var rows = [[String]]()
        var figures = [Report.Block]()
        for r in try parsedRuns() {
            let corpus = try Corpus(path: r.corpus)
            let test = corpus.split.test
            guard !test.isEmpty else { throw LyricsError(file: r.corpus, "the test part is empty") }
            let b = try testBits(base, text: test), s = try testBits(r.scratch, text: test), t = try testBits(r.tuned, text: test)
            let hs = try? TrainingHistory.read(TrainingHistory.path(forCheckpoint: r.scratch))
            let ht = try? TrainingHistory.read(TrainingHistory.path(forCheckpoint: r.tuned))
            let steps = [ht, hs].map { h in h?.points.last.map { String(format: "%d / %.0f s", $0.step, $0.seconds) } ?? "?" }
                .joined(separator: " · ")
            rows.append([r.name, "\(b.count)", String(format: "%.3f", b.bits), String(format: "%.3f", s.bits),
                         String(format: "%.3f", t.bits), String(format: "%+.3f", t.bits - s.bits), steps])
            var series = [SVGPlot.Series]()
            if let ht { series.append(.init(name: "fine-tuned", points: ht.points.map { (Double($0.step), $0.validBits) })) }
            if let hs { series.append(.init(name: "from scratch", points: hs.points.map { (Double($0.step), $0.validBits) })) }
            if !series.isEmpty {
                let slug = r.name.lowercased().filter { $0.isLetter || $0.isNumber }
                figures.append(.figure(name: "curves-\(slug)",
                                       svg: SVGPlot.lines(series, title: "\(r.name): validation bits per character",
                                                          xLabel: "training step", yLabel: "valid bits/char"),
                                       caption: "\(r.name): validation bits per character during fine-tuning and training from scratch (step 0 is the starting weights)"))
            }
        }
        report.add(.heading("Test bits per character", level: 2))
        report.add(.table(headers: ["small corpus", "test characters", "base, no tuning", "from scratch", "fine-tuned",
                                    "fine-tuned − scratch", "steps / time: tuned · scratch"], rows: rows))
        report.add(.heading("Loss curves", level: 2))
        figures.forEach { report.add($0) }
        if !sample.isEmpty {
            report.add(.heading("Sample blended songs", level: 2))
            for s in sample {
                let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
                let text = String(decoding: try InputFile.read(parts[1]), as: UTF8.self)
                report.add(.text("**\(parts[0])**"))
                report.add(.preformatted(text.trimmingCharacters(in: .newlines)))
            }
        }
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        for path in try report.export(to: outputDir, name: name) { print(path) }
    }
}
