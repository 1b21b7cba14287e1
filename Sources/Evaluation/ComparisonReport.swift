import Foundation
import Generation
import LyricsCore
import CharModel
import NeuralNet
import WordModel

/// A model the comparison loaded, kept for the report's curves and samples.
public enum ReportEntry {
    case char(path: String, loaded: CharCheckpoint.Loaded)
    case word(path: String, loaded: WordCheckpoint.Loaded, table: VectorTable)
}

/// Builds the comparison report: the table, loss curves, sample lyrics and a PCA picture.
public enum ComparisonReport {
    /// Samples as lines, never a wall of text: at most `maxLines` lines of at most 100 characters.
    static func displayLines(_ text: String, maxLines: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).prefix(maxLines)
            .map { $0.count > 100 ? $0.prefix(99) + "…" : $0 }.joined(separator: "\n")
    }

    static func label(_ s: ModelScore) -> String {
        let model = s.kind == "char" ? "char LSTM" : (s.kind == "word-vmf" ? "word LSTM, vMF loss" : "word LSTM, cosine loss")
        return s.speller.map { "\(model), \($0) speller" } ?? model
    }

    static let breakdownHeaders = ["model", "in-vocabulary words", "</s>", "<unk> (p part)", "OOV spelling", "total bits/char",
                                   "spelling bits per OOV letter"]

    /// Where each word model row's bits per character go: in-vocabulary words, line breaks, the
    /// p(<unk>) part and the spelling part of unknown words.
    static func breakdownRows(_ scores: [ModelScore]) -> [[String]] {
        scores.filter { $0.inVocabularyBitsPerCharacter != nil }.map { s in
            [label(s)] + [s.inVocabularyBitsPerCharacter, s.newlineBitsPerCharacter, s.unknownBitsPerCharacter,
                          s.spellingBitsPerCharacter, s.bitsPerCharacter].map { $0.map { String(format: "%.4f", $0) } ?? "–" }
                + [s.spellingBitsPerLetter.map { String(format: "%.3f", $0) } ?? "–"]
        }
    }

    public static func breakdownTextTable(_ scores: [ModelScore]) -> String {
        aligned(headers: breakdownHeaders, rows: breakdownRows(scores))
    }

    static func aligned(headers: [String], rows: [[String]]) -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { c in all.map { $0[c].count }.max()! }
        return all.map { r in r.indices.map { r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
            .joined(separator: "\n")
    }

    static func rows(_ scores: [ModelScore]) -> [[String]] {
        scores.map { s in
            [label(s), (s.name as NSString).lastPathComponent, String(format: "%.4f", s.bitsPerCharacter),
             String(format: "%.3f", s.characterPerplexity), String(format: "%.1f", s.wordPerplexity),
             s.top10HitRate.map { String(format: "%.1f%%", 100 * $0) } ?? "–",
             s.unknownTokens.map { String(format: "%.1f%%", 100 * Double($0) / Double(max(s.wordTokens, 1))) } ?? "–",
             s.spellingBitsPerCharacter.map { String(format: "%.4f", $0) } ?? "–"]
        }
    }

    static let headers = ["model", "checkpoint", "bits/char", "char perplexity", "word perplexity", "top-10 hits",
                          "OOV tokens", "of which OOV spelling (bits/char)"]

    public static func textTable(_ scores: [ModelScore]) -> String { aligned(headers: headers, rows: rows(scores)) }

    /// The words of the report's PCA figure unless `--pca-words` names others.
    public static let defaultPCAWords = "love,heart,soul,night,day,morning,sun,moon,star,sea,wave,river,king,queen,lord,god,heaven,hell,death,life,fire,rose,flower,tree,green,red,gold,silver,man,woman,child,mother"

    public static func build(scores: [ModelScore], entries: [ReportEntry], corpus: String, part: String, command: String,
                      sampleLines: Int, seed: UInt64, pcaWords: [String], samples: [ModelSamples]? = nil) throws -> Report {
        var r = Report(title: "Char vs word LSTMs on \((corpus as NSString).lastPathComponent) (\(part) split)")
        let s0 = scores.first
        r.add(.text("Every model is scored on the same normalised \(part) text (\(s0?.characters ?? 0) characters, \(s0?.wordTokens ?? 0) word tokens including line breaks). Bits per character = total bits / characters (spaces and newlines included); word perplexity = 2^(total bits / word tokens), the same denominator for every model. Word models pay for out-of-vocabulary words with the <unk> probability plus the word's spelling; spaces are implied by the tokenization. Each word model is shown with two spellers fitted on the training split: the character unigram of all training words, and the character n-gram speller fitted on the training split's words (each distinct word once, by default), renormalised so that in-vocabulary spellings get no mass (see the README's 'How the comparison counts bits')."))
        r.add(.heading("Comparison", level: 2))
        r.add(.table(headers: headers, rows: rows(scores)))
        let breakdown = breakdownRows(scores)
        if !breakdown.isEmpty {
            r.add(.text("Where the word models' bits per character go (the four parts add up to the total):"))
            r.add(.table(headers: breakdownHeaders, rows: breakdown))
        }
        let retrieval = retrievalRows(scores)
        if !retrieval.isEmpty {
            r.add(.text(retrievalExplanation))
            r.add(.table(headers: retrievalHeaders, rows: retrieval))
        }
        let quality = qualityRows(scores)
        if !quality.isEmpty {
            r.add(.heading("Sample quality", level: 2))
            r.add(.text(qualityExplanation))
            r.add(.table(headers: qualityHeaders, rows: quality))
        }
        r.add(.text("Made with:"))
        r.add(.preformatted(command))

        // Loss curves from every checkpoint's history (weights-only files have none).
        // Validation bits per character compare across models: one chart. Training losses do
        // not (bits/char, bits/word, 1 - cos): one chart per unit, each on its own scale.
        var valid = [SVGPlot.Series](), train = [String: [SVGPlot.Series]]()
        for e in entries {
            let (path, file, unit): (String, SafeTensors.File, String)
            switch e {
            case let .char(p, loaded): (path, file, unit) = (p, loaded.file, "bits/char")
            case let .word(p, loaded, _): (path, file, unit) = (p, loaded.file, loaded.config.loss == .vmf ? "bits/word" : "1 - cos(prediction, next word)")
            }
            let history = try SequenceCheckpoint.history(file)
            guard !history.isEmpty else { continue }
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            valid.append(.init(name: name, points: history.map { ($0.seconds / 60, $0.validBitsPerCharacter) }))
            train[unit, default: []].append(.init(name: name, points: history.compactMap { p in p.trainLoss.map { (Double(p.step), $0) } }))
        }
        if !valid.isEmpty {
            r.add(.heading("Training curves", level: 2))
            r.add(.figure(name: "valid-bpc", svg: SVGPlot.lines(valid, title: "Validation bits per character", xLabel: "training minutes", yLabel: "bits/char"),
                          caption: "Every model: validation bits per character during training"))
            for (slug, unit) in [("char", "bits/char"), ("vmf", "bits/word"), ("cosine", "1 - cos(prediction, next word)")] {
                guard let series = train[unit] else { continue }
                r.add(.figure(name: "train-loss-\(slug)",
                              svg: SVGPlot.lines(series, title: "Training loss (\(unit))", xLabel: "step", yLabel: unit),
                              caption: "Mean training loss (\(unit)) between validations"))
            }
        }

        r.add(.heading("Sample lyrics", level: 2))
        // The comparison's quality samples when given (their first lines), else written here.
        let written = try samples ?? entries.map { try SampleWriting.samples(of: $0, lines: sampleLines, seed: seed) }
        for m in written {
            for sample in m.samples where sample.isDefaultRule {
                let rule = sample.retrieval.map { ", retrieval \($0.rawValue)" } ?? ""
                r.add(.text("**\(m.label)\(rule) (`\((m.path as NSString).lastPathComponent)`)**, temperature \(sample.temperature)\(sample.topK.map { ", top-\($0)" } ?? ""), seed \(seed):"))
                r.add(.preformatted(Self.displayLines(sample.text, maxLines: sampleLines)))
            }
        }

        if let table = entries.compactMap({ e -> VectorTable? in if case let .word(_, _, t) = e { return t }; return nil }).first {
            let words = pcaWords.filter { table.index[$0] != nil }
            if words.count >= 3 {
                var rows = [Float]()
                for w in words {
                    let i = Int(table.index[w]!) * table.dimension
                    rows += table.unit[i..<(i + table.dimension)]
                }
                let p = try PCA.project(rows, rows: words.count, dim: table.dimension, components: 2)
                let pts = words.enumerated().map { (label: $1, x: Double(p.projected[$0 * 2]), y: Double(p.projected[$0 * 2 + 1])) }
                r.add(.heading("Word vectors", level: 2))
                r.add(.figure(name: "pca", svg: SVGPlot.scatter(pts, title: "PCA of chosen word vectors", xLabel: "PC 1", yLabel: "PC 2"),
                              caption: "2-D PCA projection of chosen unit word vectors (\((table.identity.path as NSString).lastPathComponent))"))
            }
        }
        return r
    }
}
