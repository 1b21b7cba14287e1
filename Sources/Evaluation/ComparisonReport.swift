import Foundation
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
    static func label(_ s: ModelScore) -> String {
        s.kind == "char" ? "char LSTM" : (s.kind == "word-vmf" ? "word LSTM, vMF loss" : "word LSTM, cosine loss")
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

    public static func textTable(_ scores: [ModelScore]) -> String {
        let all = [headers] + rows(scores)
        let widths = headers.indices.map { c in all.map { $0[c].count }.max()! }
        return all.map { r in r.indices.map { r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
            .joined(separator: "\n")
    }

    /// The words of the report's PCA figure unless `--pca-words` names others.
    public static let defaultPCAWords = "love,heart,soul,night,day,morning,sun,moon,star,sea,wave,river,king,queen,lord,god,heaven,hell,death,life,fire,rose,flower,tree,green,red,gold,silver,man,woman,child,mother"

    public static func build(scores: [ModelScore], entries: [ReportEntry], corpus: String, part: String, command: String,
                      sampleLines: Int, seed: UInt64, pcaWords: [String]) throws -> Report {
        var r = Report(title: "Char vs word LSTMs on \((corpus as NSString).lastPathComponent) (\(part) split)")
        let s0 = scores.first
        r.add(.text("Every model is scored on the same normalised \(part) text (\(s0?.characters ?? 0) characters, \(s0?.wordTokens ?? 0) word tokens including line breaks). Bits per character = total bits / characters (spaces and newlines included); word perplexity = 2^(total bits / word tokens), the same denominator for every model. Word models pay for out-of-vocabulary words with the <unk> probability plus the word's spelling under a character unigram model fitted on training-split words; spaces are implied by the tokenization."))
        r.add(.heading("Comparison", level: 2))
        r.add(.table(headers: headers, rows: rows(scores)))
        r.add(.text("Made with:"))
        r.add(.preformatted(command))

        // Loss curves from the word checkpoints' histories.
        // Validation bits per character compare across models: one chart. Training losses do
        // not (bits/word against 1 - cos): one chart per loss, each on its own scale.
        var valid = [SVGPlot.Series](), train = [WordLoss: [SVGPlot.Series]]()
        for case let .word(path, loaded, _) in entries {
            guard let st = try loaded.trainingState(), !st.history.isEmpty else { continue }
            let name = "\(loaded.config.loss.rawValue) (\((path as NSString).lastPathComponent))"
            valid.append(.init(name: name, points: st.history.map { ($0.seconds / 60, $0.validBitsPerCharacter) }))
            train[loaded.config.loss, default: []].append(.init(name: name, points: st.history.map { (Double($0.step), $0.trainLoss) }))
        }
        if !valid.isEmpty {
            r.add(.heading("Training curves", level: 2))
            r.add(.figure(name: "valid-bpc", svg: SVGPlot.lines(valid, title: "Validation bits per character", xLabel: "training minutes", yLabel: "bits/char"),
                          caption: "Word models: validation bits per character during training"))
            for loss in WordLoss.allCases {
                guard let series = train[loss] else { continue }
                let unit = loss == .vmf ? "bits/word" : "1 - cos(prediction, next word)"
                r.add(.figure(name: "train-loss-\(loss.rawValue)",
                              svg: SVGPlot.lines(series, title: "Training loss, \(loss.rawValue) word models", xLabel: "step", yLabel: unit),
                              caption: "Word models with the \(loss.rawValue) loss: mean training loss (\(unit)) between validations"))
            }
        }

        r.add(.heading("Sample lyrics", level: 2))
        for e in entries {
            switch e {
            case let .char(path, loaded):
                let m = try CharCheckpoint.model(loaded, batch: 1, maxSteps: 1)
                var rng = SeededRandom(seed: seed)
                let text = CharGenerator(model: m).generate(prime: "", length: 400, temperature: 0.8, rng: &rng)
                r.add(.text("**char LSTM** (`\((path as NSString).lastPathComponent)`, temperature 0.8, seed \(seed)):"))
                r.add(.preformatted(text.trimmingCharacters(in: .newlines)))
            case let .word(path, loaded, table):
                let m = try LoadedWordModel(loaded: loaded, table: table)
                let g = try m.generate(GenerationRequest(seedText: "", length: .lines(sampleLines), temperature: 1, topK: 10, seed: seed))
                r.add(.text("**word LSTM, \(loaded.config.loss.rawValue) loss** (`\((path as NSString).lastPathComponent)`, top-10, temperature 1, seed \(seed)):"))
                r.add(.preformatted(g.text.trimmingCharacters(in: .newlines)))
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
