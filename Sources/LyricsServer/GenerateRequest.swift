import Foundation
import Generation
import Songwriting

/// A validated generation request. Bounds live here so the API and the page share them.
/// `prompt` is the text to continue, `seed` the random seed (as on the command line).
public struct GenerateRequest: Codable, Sendable, Equatable {
    public var model: String
    public var prompt: String
    /// Words for word models, characters for char models.
    public var length: Int
    /// 0 means greedy.
    public var temperature: Double
    /// nil: the model's default (all tokens for char models and the prior rule, 10 for the cosine rule).
    public var topK: Int?
    public var topP: Double
    public var repetitionPenalty: Double
    /// Word models: "cosine" or "prior" (nil: the model's default).
    public var retrieval: String?
    /// Random seed; the server picks one when absent and returns it so a result repeats.
    public var seed: UInt64?
    /// Songwriting (any of them makes the answer a song, counted in `lines`): a rhyme scheme
    /// ("AABB"), syllables ("8" or "8,6,8,6"; a number is accepted too), parts ("verse chorus
    /// verse chorus") with "verse=4,chorus=4", a cap on words copied from the training text.
    public var rhyme: String?
    public var syllables: String?
    public var structure: String?
    public var partLines: String?
    public var maxCopy: Int?
    /// Stress pattern per line: "iambic", "trochaic", ... or "01010101" (comma-separated per line).
    public var meter: String?
    /// Lines of a song without a structure (default `StopConditions.defaultLines`).
    public var lines: Int?
    /// What the song is about ("sea storm"): words near it in the word vectors are raised.
    public var theme: String?
    /// Candidates each line is chosen among (1 to 64; default `SongSpec.defaultChoose`).
    public var choose: Int?

    public static let maxPromptCharacters = 1_000
    public static let lengthRange = 1...2_000
    public static let temperatureRange = 0.0...5.0
    public static let topKRange = 1...1_000
    public static let repetitionPenaltyRange = 1.0...10.0

    public init(model: String, prompt: String = "", length: Int = 200, temperature: Double = 0.8, topK: Int? = nil,
                topP: Double = 1, repetitionPenalty: Double = 1, retrieval: String? = nil, seed: UInt64? = nil) {
        self.model = model
        self.prompt = prompt
        self.length = length
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.retrieval = retrieval
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case model, prompt, length, temperature, topK, topP, repetitionPenalty, retrieval, seed
        case rhyme, syllables, structure, partLines, maxCopy, lines, meter, theme, choose
    }

    /// Only `model` is required; the other fields default as on the page.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GenerateRequest(model: try c.decode(String.self, forKey: .model))
        self.init(model: d.model,
                  prompt: try c.decodeIfPresent(String.self, forKey: .prompt) ?? d.prompt,
                  length: try c.decodeIfPresent(Int.self, forKey: .length) ?? d.length,
                  temperature: try c.decodeIfPresent(Double.self, forKey: .temperature) ?? d.temperature,
                  topK: try c.decodeIfPresent(Int.self, forKey: .topK),
                  topP: try c.decodeIfPresent(Double.self, forKey: .topP) ?? d.topP,
                  repetitionPenalty: try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty) ?? d.repetitionPenalty,
                  retrieval: try c.decodeIfPresent(String.self, forKey: .retrieval),
                  seed: try c.decodeIfPresent(UInt64.self, forKey: .seed))
        rhyme = try c.decodeIfPresent(String.self, forKey: .rhyme)
        if let n = try? c.decodeIfPresent(Int.self, forKey: .syllables) { syllables = String(n) } else {
            syllables = try c.decodeIfPresent(String.self, forKey: .syllables)
        }
        structure = try c.decodeIfPresent(String.self, forKey: .structure)
        partLines = try c.decodeIfPresent(String.self, forKey: .partLines)
        maxCopy = try c.decodeIfPresent(Int.self, forKey: .maxCopy)
        meter = try c.decodeIfPresent(String.self, forKey: .meter)
        lines = try c.decodeIfPresent(Int.self, forKey: .lines)
        theme = try c.decodeIfPresent(String.self, forKey: .theme)
        choose = try c.decodeIfPresent(Int.self, forKey: .choose)
    }

    /// Whether the request asks for a song (any songwriting field set).
    public var isSong: Bool {
        [rhyme, syllables, structure, partLines, meter, theme].contains { !($0 ?? "").isEmpty } || maxCopy != nil || choose != nil
    }

    /// The song's spec (errors name the field: "rhyme: unknown scheme character ...").
    public func songSpec() throws -> SongSpec {
        try SongSpec.parse(rhyme: rhyme, syllables: syllables, structure: structure, partLines: partLines, lines: lines ?? StopConditions.defaultLines,
                           maxCopy: maxCopy, candidates: 100, meter: meter, theme: theme, choose: choose)
    }

    /// The first problem with the request, phrased for the person who sent it; nil when valid.
    public func problem() -> String? {
        if prompt.count > Self.maxPromptCharacters {
            return "prompt is \(prompt.count) characters; at most \(Self.maxPromptCharacters) allowed"
        }
        if !Self.lengthRange.contains(length) {
            return "length must be between \(Self.lengthRange.lowerBound) and \(Self.lengthRange.upperBound)"
        }
        if !temperature.isFinite || !Self.temperatureRange.contains(temperature) {
            return "temperature must be between \(Self.temperatureRange.lowerBound) and \(Self.temperatureRange.upperBound)"
        }
        if let k = topK, !Self.topKRange.contains(k) {
            return "topK must be between \(Self.topKRange.lowerBound) and \(Self.topKRange.upperBound)"
        }
        if !(topP > 0 && topP <= 1) { return "topP must be in (0, 1]" }
        if !repetitionPenalty.isFinite || !Self.repetitionPenaltyRange.contains(repetitionPenalty) {
            return "repetitionPenalty must be between 1 (off) and 10"
        }
        if let r = retrieval, r != "cosine", r != "prior" { return "retrieval must be 'cosine' or 'prior'" }
        if isSong || lines != nil {
            do { _ = try songSpec() } catch { return "\(error)" }
        }
        return nil
    }
}
