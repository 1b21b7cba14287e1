/// What the web server needs from a model: a name, a kind, and a way to write text from a seed.
/// Implementations must be safe to call from many requests at once, which in practice means the
/// weights are read-only after loading and each call allocates its own recurrent state.
public protocol LyricsGenerator: Sendable {
    /// The name clients select the model by (unique within a server).
    var name: String { get }
    /// "word" or "char": what `length` counts.
    var kind: String { get }
    /// One line shown in the page's model list (corpus, size, ...).
    var summary: String { get }
    func generate(_ request: GenerateRequest) throws -> String
}

/// A validated generation request. Bounds live here so the API and the page share them.
public struct GenerateRequest: Codable, Sendable, Equatable {
    public var model: String
    public var seed: String
    /// Words for word models, characters for char models.
    public var length: Int
    /// 0 means greedy.
    public var temperature: Double
    public var topK: Int
    /// Random generator seed; the server picks one when absent and returns it so a result repeats.
    public var randomSeed: UInt64?

    public static let maxSeedCharacters = 1_000
    public static let lengthRange = 1...2_000
    public static let temperatureRange = 0.0...5.0
    public static let topKRange = 1...1_000

    public init(model: String, seed: String = "", length: Int = 200, temperature: Double = 0.8,
                topK: Int = 10, randomSeed: UInt64? = nil) {
        self.model = model
        self.seed = seed
        self.length = length
        self.temperature = temperature
        self.topK = topK
        self.randomSeed = randomSeed
    }

    enum CodingKeys: String, CodingKey { case model, seed, length, temperature, topK, randomSeed }

    /// Only `model` is required; the other fields default as on the page.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GenerateRequest(model: try c.decode(String.self, forKey: .model))
        self.init(model: d.model,
                  seed: try c.decodeIfPresent(String.self, forKey: .seed) ?? d.seed,
                  length: try c.decodeIfPresent(Int.self, forKey: .length) ?? d.length,
                  temperature: try c.decodeIfPresent(Double.self, forKey: .temperature) ?? d.temperature,
                  topK: try c.decodeIfPresent(Int.self, forKey: .topK) ?? d.topK,
                  randomSeed: try c.decodeIfPresent(UInt64.self, forKey: .randomSeed))
    }

    /// The first problem with the request, phrased for the person who sent it; nil when valid.
    public func problem() -> String? {
        if seed.count > Self.maxSeedCharacters {
            return "seed is \(seed.count) characters; at most \(Self.maxSeedCharacters) allowed"
        }
        if !Self.lengthRange.contains(length) {
            return "length must be between \(Self.lengthRange.lowerBound) and \(Self.lengthRange.upperBound)"
        }
        if !temperature.isFinite || !Self.temperatureRange.contains(temperature) {
            return "temperature must be between \(Self.temperatureRange.lowerBound) and \(Self.temperatureRange.upperBound)"
        }
        if !Self.topKRange.contains(topK) {
            return "topK must be between \(Self.topKRange.lowerBound) and \(Self.topKRange.upperBound)"
        }
        return nil
    }
}

public struct GenerateResponse: Codable, Sendable, Equatable {
    public var model: String
    public var kind: String
    public var text: String
    public var randomSeed: UInt64
}

public struct ModelInfo: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var summary: String
}

/// A generator failure that is the caller's fault (e.g. a seed with no known word), reported as
/// 422 rather than 500.
public struct GenerationInputError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
