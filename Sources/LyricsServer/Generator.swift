import Foundation
import Generation
import LyricsCore
import Songwriting
import CharModel
import WordModel

/// What the web server needs from a model: a name, a kind, and a way to write text from a prompt.
/// Implementations must be safe to call from many requests at once.
public protocol LyricsGenerator: Sendable {
    /// The name clients select the model by (unique within a server).
    var name: String { get }
    /// "word" or "char": what `length` counts.
    var kind: String { get }
    /// One line shown in the page's model list (what the model is, its training, ...).
    var summary: String { get }
    func generate(_ request: GenerateRequest) throws -> String
    /// A song under `spec` (rhyme scheme, syllables, structure, max copy); `index` flags copies.
    func writeSong(_ request: GenerateRequest, spec: SongSpec, index: OriginalityIndex?) throws -> Song
}

extension LyricsGenerator {
    public func writeSong(_ request: GenerateRequest, spec: SongSpec, index: OriginalityIndex?) throws -> Song {
        throw GenerationInputError("model '\(name)' cannot write songs with a rhyme scheme, syllables or structure")
    }
}

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
    /// Lines of a song without a structure (default 8).
    public var lines: Int?

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
        case rhyme, syllables, structure, partLines, maxCopy, lines
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
        lines = try c.decodeIfPresent(Int.self, forKey: .lines)
    }

    /// Whether the request asks for a song (any songwriting field set).
    public var isSong: Bool { [rhyme, syllables, structure, partLines].contains { !($0 ?? "").isEmpty } || maxCopy != nil }

    /// The song's spec (errors name the field: "rhyme: unknown scheme character ...").
    public func songSpec() throws -> SongSpec {
        try SongSpec.parse(rhyme: rhyme, syllables: syllables, structure: structure, partLines: partLines, lines: lines ?? 8,
                           maxCopy: maxCopy, candidates: 100)
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

public struct GenerateResponse: Codable, Sendable, Equatable {
    public var model: String
    public var kind: String
    public var text: String
    public var seed: UInt64
    /// Per line (songs, and any text when the server has a training text's index): rhyme word,
    /// missed constraints, copied runs with their source line.
    public var lines: [SongLine]?
    /// Lines that missed a constraint (best effort), one note each.
    public var notes: [String]?
}

public struct ModelInfo: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var summary: String
}

/// A generator failure that is the caller's fault (e.g. a prompt with no known word), reported
/// as 422 rather than 500.
public struct GenerationInputError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Serves any `TokenModel` through the one generation loop. Each request borrows a model copy
/// (its own recurrent state) from a pool; the loaded weights are only read.
public final class TokenModelGenerator: LyricsGenerator, @unchecked Sendable {
    public let name: String
    public let kind: String
    public let summary: String
    private let pool: GeneratorPool<TokenModel>
    /// Word models: a copy with another retrieval rule, when a request asks for one.
    private let withRetrieval: ((String) throws -> TokenModel)?

    /// `make` builds a fresh copy of the model (called once per concurrent request, then reused).
    public init(name: String, kind: ModelKind, summary: String, make: @escaping () throws -> TokenModel,
                withRetrieval: ((String) throws -> TokenModel)? = nil) {
        self.name = name
        self.kind = kind.rawValue
        self.summary = summary
        pool = GeneratorPool(make: make)
        self.withRetrieval = withRetrieval
    }

    public func generate(_ request: GenerateRequest) throws -> String {
        let stop = kind == "word" ? StopConditions(words: request.length) : StopConditions(characters: request.length)
        // No top-k given: the writing model's own default (word rules differ).
        func run(_ model: TokenModel) throws -> String {
            let sampling = SamplingSettings(temperature: Float(request.temperature), topK: request.topK ?? model.defaultTopK,
                                            topP: Float(request.topP), repetitionPenalty: Float(request.repetitionPenalty))
            let r = GenerationRequest(prompt: request.prompt, stop: stop, sampling: sampling, seed: request.seed ?? 0)
            return try Generator.generate(model, r).text
        }
        do {
            if let rule = request.retrieval, let withRetrieval {
                return try run(try withRetrieval(rule))
            }
            return try pool.with { try run($0) }
        } catch let e as LyricsError {
            // The loop only throws for input it cannot use (e.g. a prompt with no known word).
            throw GenerationInputError(e.description)
        }
    }

    public func writeSong(_ request: GenerateRequest, spec: SongSpec, index: OriginalityIndex?) throws -> Song {
        let sampling = SamplingSettings(temperature: Float(request.temperature), topK: request.topK ?? (kind == "word" ? 10 : nil),
                                        topP: Float(request.topP), repetitionPenalty: Float(request.repetitionPenalty))
        let write = { (model: TokenModel) throws -> Song in
            try SongWriter(model: model, pronunciations: try Pronunciations.shared, index: index)
                .write(spec, prompt: request.prompt, sampling: sampling, seed: request.seed ?? 0)
        }
        do {
            if let rule = request.retrieval, let withRetrieval { return try write(try withRetrieval(rule)) }
            return try pool.with(write)
        } catch let e as LyricsError {
            throw GenerationInputError(e.description)
        }
    }
}

extension TokenModelGenerator {
    /// A char-model checkpoint, loaded once; each pooled copy has its own state.
    public static func char(name: String, checkpoint path: String) throws -> TokenModelGenerator {
        let master = try CharTokenModel(checkpoint: path)
        let c = master.model.config
        let summary = "char \(c.cell.rawValue) \(c.layers)x\(c.hiddenSize), \(master.tokens.count) symbols (\((path as NSString).lastPathComponent))"
        return TokenModelGenerator(name: name, kind: .char, summary: summary, make: { try master.copy() })
    }

    /// A word-model checkpoint with the vectors it names (or `vectors`).
    public static func word(name: String, checkpoint path: String, vectors: String? = nil) throws -> TokenModelGenerator {
        let master = try WordTokenModel(checkpoint: path, vectors: vectors)
        let m = master.model
        let summary = "word \(m.config.loss.rawValue) \(m.config.layers)x\(m.config.hiddenSize), \(m.table.count) words × \(m.table.dimension), retrieval \(master.retrieval.rawValue) (\((path as NSString).lastPathComponent))"
        return TokenModelGenerator(name: name, kind: .word, summary: summary, make: { try master.copy() },
                                   withRetrieval: { rule in
                                       let copy = try master.copy()
                                       return try WordTokenModel(model: copy.model, path: path, retrieval: Retrieval(rawValue: rule)!)
                                   })
    }
}
