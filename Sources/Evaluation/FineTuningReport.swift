import Foundation
import LyricsCore
import CharModel
import NeuralNet

/// The fine-tuning report: a base char model, the models fine-tuned from it and the same
/// architecture trained from scratch on each small corpus, scored on each corpus's test split,
/// with their validation curves (from the checkpoints' loss histories) and sample blended songs.
public enum FineTuningReport {
    /// One small corpus: its file and the two checkpoints trained on it.
    public struct Run: Sendable {
        public var name, corpus, tuned, scratch: String
        public init(name: String, corpus: String, tuned: String, scratch: String) {
            self.name = name; self.corpus = corpus; self.tuned = tuned; self.scratch = scratch
        }
    }

    /// Test-split bits per character of a checkpoint on a text.
    static func testBits(_ path: String, text: String) throws -> (bits: Double, count: Int) {
        let loaded = try CharCheckpoint.load(path)
        let m = try CharCheckpoint.model(loaded, batch: 16, maxSteps: CharModel.scoringSteps)
        return m.bitsPerCharacter(loaded.vocabulary.encode(text).ids)
    }

    /// The loss curve stored in a checkpoint (empty for weights-only files).
    static func history(_ path: String) throws -> [LossPoint] {
        try SequenceCheckpoint.history(CharCheckpoint.load(path).file)
    }

    /// `samples` are (title, song text) pairs; `command` and `notes` are shown as given.
    public static func build(base: String, runs: [Run], samples: [(title: String, text: String)], command: String,
                             notes: String) throws -> Report {
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
        for r in runs {
            let corpus = try Corpus(path: r.corpus)
            let test = corpus.split.test
            guard !test.isEmpty else { throw LyricsError(file: r.corpus, "the test part is empty") }
            let b = try testBits(base, text: test), s = try testBits(r.scratch, text: test), t = try testBits(r.tuned, text: test)
            let hs = try history(r.scratch), ht = try history(r.tuned)
            let steps = [ht, hs].map { h in h.last.map { String(format: "%d / %.0f s", $0.step, $0.seconds) } ?? "?" }
                .joined(separator: " · ")
            rows.append([r.name, "\(b.count)", String(format: "%.3f", b.bits), String(format: "%.3f", s.bits),
                         String(format: "%.3f", t.bits), String(format: "%+.3f", t.bits - s.bits), steps])
            var series = [SVGPlot.Series]()
            if !ht.isEmpty { series.append(.init(name: "fine-tuned", points: ht.map { (Double($0.step), $0.validBitsPerCharacter) })) }
            if !hs.isEmpty { series.append(.init(name: "from scratch", points: hs.map { (Double($0.step), $0.validBitsPerCharacter) })) }
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
        if !samples.isEmpty {
            report.add(.heading("Sample blended songs", level: 2))
            for s in samples {
                report.add(.text("**\(s.title)**"))
                report.add(.preformatted(s.text.trimmingCharacters(in: .newlines)))
            }
        }
        return report
    }
}
