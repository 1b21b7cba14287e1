import Foundation
import LyricsCore
import Generation

/// How two models share a song.
public enum BlendMode: String, Codable, CaseIterable, Sendable {
    /// Turns: each model writes a unit, then the other reads it and writes the next.
    case alternate
    /// Every token is drawn from w·pA + (1−w)·pB.
    case mix
}

/// What one turn of `alternate` is (and where `mix` puts blank lines).
public enum BlendUnit: String, Codable, CaseIterable, Sendable {
    case line
    /// `stanzaLines` lines; stanzas are printed with a blank line between them. (Normalised
    /// corpora have no blank lines, so the models never write one themselves.)
    case stanza
}

public struct BlendOptions: Sendable, Equatable {
    public var mode: BlendMode = .alternate
    public var unit: BlendUnit = .line
    /// Weight of model A in `mix`, in [0, 1].
    public var weight = 0.5
    /// Lines to write (not counting the seed's or blank lines).
    public var lines = StopConditions.defaultLines
    public var stanzaLines = 4
    /// Normalised text both models read first; the first model continues its last line.
    public var prompt = ""
    /// Sampling temperature over the (mixed) distribution: q ∝ p^(1/T); 0 picks the most likely.
    public var temperature = 0.8
    public var seed: UInt64 = 1
    /// A line is ended by force after this many tokens (a model that never writes "\n");
    /// nil: 300 characters or 40 words.
    public var maxTokensPerLine: Int?
    public init() {}
}

/// A written song: the whole text and who wrote each unit (0 = model A, 1 = model B, nil = mixed).
public struct BlendedSong: Sendable, Equatable {
    public var text: String
    public var parts: [Part]
    public struct Part: Sendable, Equatable {
        public var author: Int?
        public var text: String
    }
}

/// Writes songs with two `TokenModel`s of one kind, either in turns or by mixing their next-token
/// distributions. Token ids differ between models, so both are mapped onto a union vocabulary by
/// spelling (A's tokens first, then B's others); a token one model lacks has probability 0 there
/// and is not fed to it.
public final class Blender {
    public let models: [TokenModel]
    /// Union spellings and, for each union token, its id in A and in B (−1 = missing).
    public let unionTokens: [String]
    public let unionToModel: [[Int32]]
    private let modelToUnion: [[Int]]
    private let unionNewline: Int
    private var p: [[Double]]
    private var mixed: [Double]
    private var scratch = Sampler.Scratch()

    public init(_ a: TokenModel, _ b: TokenModel) throws {
        guard a.kind == b.kind else {
            throw LyricsError(file: b.path, "is a \(b.kind.rawValue) model but \(a.path) is a \(a.kind.rawValue) model; blend two models of one kind")
        }
        if a.kind == .word, a.tokens != b.tokens {
            throw LyricsError(file: b.path, "uses other word vectors than \(a.path); word models blend only over one shared vocabulary")
        }
        models = [a, b]
        var union = a.tokens
        var index = [String: Int]()
        for (i, t) in union.enumerated() { index[t] = i }
        var bMap = [Int]()
        for t in b.tokens {
            if let i = index[t] { bMap.append(i) } else { index[t] = union.count; bMap.append(union.count); union.append(t) }
        }
        unionTokens = union
        modelToUnion = [Array(0..<a.tokens.count), bMap]
        var back = [[Int32]](repeating: [Int32](repeating: -1, count: union.count), count: 2)
        for m in 0..<2 { for (i, u) in modelToUnion[m].enumerated() { back[m][u] = Int32(i) } }
        unionToModel = back
        unionNewline = modelToUnion[0][Int(a.newlineToken)]
        p = [[Double](repeating: 0, count: a.tokens.count), [Double](repeating: 0, count: b.tokens.count)]
        mixed = [Double](repeating: 0, count: union.count)
    }

    /// w·pA + (1−w)·pB over the union vocabulary for the models' current states. With w = 1 this
    /// is exactly pA (B's terms are skipped, not multiplied by 0), with w = 0 exactly pB.
    public func mixedDistribution(weight w: Double) -> [Double] {
        computeMixture(weight: w)
        return mixed
    }

    private func computeMixture(weight w: Double) {
        for u in mixed.indices { mixed[u] = 0 }
        for (m, scale) in [(0, w), (1, 1 - w)] where scale > 0 {
            models[m].distribution(into: &p[m])
            let map = modelToUnion[m]
            for i in p[m].indices { mixed[map[i]] += scale * p[m][i] }
        }
    }

    /// Draws an index from `dist` at `temperature` through the one sampler: logits log p, so
    /// q ∝ p^(1/T) (T = 0: the most likely); tokens with p = 0 are never drawn.
    public static func sample(_ dist: [Double], temperature: Double, scratch: inout Sampler.Scratch, rng: inout SeededRandom) -> Int {
        var logits = dist.map { $0 > 0 ? Float(Foundation.log($0)) : -Float.infinity }
        let settings = SamplingSettings(temperature: Float(temperature))
        let t = logits.withUnsafeMutableBufferPointer {
            Sampler.sample($0, settings: settings, recent: [], excluding: [], random: &rng, scratch: &scratch)
        }
        return Int(t ?? 0)
    }

    public func write(_ o: BlendOptions) throws -> BlendedSong {
        guard o.weight >= 0, o.weight <= 1 else { throw LyricsError("weight \(o.weight) is outside [0, 1]") }
        guard o.lines >= 0, o.stanzaLines >= 1, o.temperature >= 0, o.temperature.isFinite else {
            throw LyricsError("lines, stanza lines and temperature must not be negative")
        }
        var rng = SeededRandom(seed: o.seed)
        let seed = o.prompt.trimmingCharacters(in: .newlines)
        for m in models {
            m.reset()
            if !seed.isEmpty { m.observe(text: seed) }
        }
        var song = seed, part = ""
        var parts = [BlendedSong.Part]()
        var author = 0
        var linesDone = 0, linesInUnit = 0, tokensInLine = 0
        let mixing = o.mode == .mix
        let kind = models[0].kind
        let lineCap = o.maxTokensPerLine ?? (kind == .char ? 300 : 40)
        while linesDone < o.lines {
            var u: Int
            if mixing {
                computeMixture(weight: o.weight)
                u = Self.sample(mixed, temperature: o.temperature, scratch: &scratch, rng: &rng)
            } else {
                models[author].distribution(into: &p[author])
                u = modelToUnion[author][Self.sample(p[author], temperature: o.temperature, scratch: &scratch, rng: &rng)]
            }
            if tokensInLine >= lineCap { u = unionNewline }
            let added = TokenText.spelling(unionTokens[u], kind: kind, after: song.last)
            song += added
            part += added
            for m in 0..<2 where mixing || m == author {
                let id = unionToModel[m][u]
                if id >= 0 { models[m].observe(id) }
            }
            tokensInLine += 1
            guard u == unionNewline else { continue }
            linesDone += 1
            linesInUnit += 1
            tokensInLine = 0
            let unitDone = o.unit == .line ? !mixing : linesInUnit == o.stanzaLines
            guard unitDone || linesDone == o.lines else { continue }
            parts.append(.init(author: mixing ? nil : author, text: part))
            if !mixing {
                // The other model reads this turn before it writes its own.
                models[1 - author].observe(text: part)
                author = 1 - author
            }
            part = ""
            linesInUnit = 0
            if o.unit == .stanza, linesDone < o.lines { song += "\n" }
        }
        return BlendedSong(text: song, parts: parts)
    }
}
