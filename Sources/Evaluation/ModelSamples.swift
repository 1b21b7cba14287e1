import Foundation
import Generation
import LyricsCore
import CharModel
import NeuralNet
import WordModel

/// Sample lyrics of one model, written once for the comparison: from an empty prompt with one
/// seed, at each sample temperature and (word models) under each retrieval rule the model has.
/// The report shows the first lines of the default rule's samples; the quality table measures
/// all of them.
public struct ModelSamples {
    public struct Sample {
        public var temperature: Float
        /// Word models: the rule that wrote it.
        public var retrieval: Retrieval?
        /// Whether the rule is the one `generate` uses by default for this model.
        public var isDefaultRule: Bool
        public var topK: Int?
        public var text: String
    }

    /// The checkpoint path.
    public var path: String
    /// How the report names the model (kind, loss).
    public var label: String
    public var samples: [Sample]
}

public enum SampleWriting {
    /// Samples are written at these temperatures.
    public static let temperatures: [Float] = [0.7, 1.0]

    /// `lines` lines of each entry's model per temperature and rule.
    public static func samples(of entry: ReportEntry, lines: Int, seed: UInt64) throws -> ModelSamples {
        var models = [(TokenModel, Retrieval?, Bool)]()
        let (path, label): (String, String)
        switch entry {
        case let .char(p, loaded):
            path = p
            label = "char LSTM"
            models.append((try CharTokenModel(model: CharCheckpoint.model(loaded, batch: 1, maxSteps: 1), path: p), nil, true))
        case let .word(p, loaded, table):
            path = p
            label = "word LSTM, \(loaded.config.loss.rawValue) loss"
            let model = try WordCheckpoint.model(loaded, table: table, batch: 1, maxSteps: 1)
            let standard = try WordTokenModel(model: model, path: p)
            for rule in Retrieval.allCases where rule == .cosine || loaded.retrievalPrior != nil {
                models.append((rule == standard.retrieval ? standard : try standard.with(retrieval: rule),
                               rule, rule == standard.retrieval))
            }
            // The default rule first.
            models.sort { $0.2 && !$1.2 }
        }
        var out = ModelSamples(path: path, label: label, samples: [])
        for (model, rule, isDefault) in models {
            for temperature in temperatures {
                let topK = model.defaultTopK
                let request = GenerationRequest(stop: StopConditions(maxTokens: lines * (model.kind == .word ? 30 : 120), lines: lines),
                                                sampling: SamplingSettings(temperature: temperature, topK: topK), seed: seed)
                let text = lines == 0 ? "" : try Generator.generate(model, request).text
                out.samples.append(.init(temperature: temperature, retrieval: rule, isDefaultRule: isDefault, topK: topK, text: text))
            }
        }
        return out
    }

    /// Bits per character the judge gives `text` (normalised), read as one stream from a
    /// newline; characters outside its vocabulary are charged 8 bits, as in the comparison.
    public static func judgeBits(_ judge: CharModel, text: String) -> Double {
        let (ids, skipped) = judge.vocabulary.encode(text)
        guard !ids.isEmpty else { return 0 }
        let r = judge.bitsPerCharacter(ids)
        return (r.bits * Double(r.count) + 8 * Double(skipped)) / Double(r.count + skipped)
    }

    /// The quality figures of every sample. `judge` should be a batch-1 model (one stream per
    /// sample, so no sample loses its context to a stream cut).
    public static func quality(_ s: ModelSamples, judge: CharModel?, index: (any TrainingTextLookup)?) -> [SampleQuality] {
        s.samples.map { sample in
            SampleQuality(text: sample.text, source: "samples", temperature: (Double(sample.temperature) * 1000).rounded() / 1000,
                          retrieval: sample.retrieval?.rawValue, judgeBitsPerCharacter: judge.map { judgeBits($0, text: sample.text) },
                          index: index)
        }
    }
}
