import Foundation
import Generation
import LyricsCore
import Models
import Songwriting
import WordModel

/// Serves any `TokenModel` through the one generation loop and the one song writer, under the
/// same defaults as the command line (`defaultTopK`: a cosine-rule word model samples among its
/// 10 nearest words, a prior-rule one and a char model among all tokens). Each request borrows a
/// model copy (its own recurrent state) from a pool; the loaded weights are only read.
public final class TokenModelGenerator: LyricsGenerator, @unchecked Sendable {
    public let name: String
    public let kind: ModelKind
    public let summary: String
    private let pool: GeneratorPool<PooledModel>
    /// Word models: a copy with another retrieval rule, when a request asks for one.
    private let withRetrieval: ((Retrieval) throws -> TokenModel)?

    /// `make` builds a fresh copy of the model (called once per concurrent request, then reused).
    public init(name: String, kind: ModelKind, summary: String, make: @escaping () throws -> TokenModel,
                withRetrieval: ((Retrieval) throws -> TokenModel)? = nil) {
        self.name = name
        self.kind = kind
        self.summary = summary
        pool = GeneratorPool(make: { PooledModel(try make()) })
        self.withRetrieval = withRetrieval
    }

    /// A checkpoint opened by `ModelLoader`, served under `name`.
    public convenience init(name: String, model: OpenedModel) {
        self.init(name: name, kind: model.kind, summary: model.summary, make: { try model.copy() },
                  withRetrieval: model.kind == .word ? { try model.copy(retrieval: $0) } : nil)
    }

    /// The request's sampling settings; no top-k given: the writing model's own default.
    static func sampling(_ request: GenerateRequest, model: TokenModel) -> SamplingSettings {
        SamplingSettings(temperature: Float(request.temperature), topK: request.topK ?? model.defaultTopK,
                         topP: Float(request.topP), repetitionPenalty: Float(request.repetitionPenalty))
    }

    public func generate(_ request: GenerateRequest) throws -> String {
        let stop = kind == .word ? StopConditions(words: request.length) : StopConditions(characters: request.length)
        return try withModel(for: request) { model in
            let r = GenerationRequest(prompt: request.prompt, stop: stop, sampling: Self.sampling(request, model: model),
                                      seed: request.seed ?? 0)
            return try Generator.generate(model, r).text
        }
    }

    public func writeSong(_ request: GenerateRequest, spec: SongSpec, index: OriginalityIndex?) throws -> Song {
        try withModel(for: request) { model in
            let writer = SongWriter(model: model, pronunciations: try Pronunciations.shared, index: index)
            writer.theme = try Self.theme(spec.theme, model: model)
            return try writer.write(spec, prompt: request.prompt, sampling: Self.sampling(request, model: model), seed: request.seed ?? 0)
        }
    }

    /// The theme of a request (nil: none), its words weighted from the model's vectors or the shipped ones.
    static func theme(_ text: String?, model: TokenModel) throws -> Theme? {
        try text.map { try ModelLoader.theme($0, models: [model]) }
    }

    /// Runs `body` on a pooled copy, or on a fresh copy with the rule the request names. The
    /// loop and the writer only throw `LyricsError` for input they cannot use (e.g. a prompt
    /// with no known word): the caller's fault, so a 422.
    private func withModel<T>(for request: GenerateRequest, _ body: (TokenModel) throws -> T) throws -> T {
        do {
            if let rule = request.retrieval.flatMap(Retrieval.init(rawValue:)), let withRetrieval {
                return try body(try withRetrieval(rule))
            }
            return try pool.with { try body($0.model) }
        } catch let e as LyricsError {
            throw GenerationInputError(e.description)
        }
    }

    /// The studio's writer on a pooled copy (kept with the copy, so its remembered contexts and
    /// the sampler's per-vocabulary tables are built once), or on a fresh copy for another rule.
    public func coWrite<T>(_ request: GenerateRequest, index: OriginalityIndex?, _ body: (CoWriter) throws -> T) throws -> T {
        do {
            let pronunciations = try Pronunciations.shared
            let themeText = request.theme.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            if let rule = request.retrieval.flatMap(Retrieval.init(rawValue:)), let withRetrieval {
                let writer = CoWriter(model: try withRetrieval(rule), pronunciations: pronunciations, index: index)
                writer.theme = try Self.theme(themeText, model: writer.model)
                return try body(writer)
            }
            return try pool.with { pooled in
                if pooled.coWriter == nil || pooled.coWriter?.index !== index {
                    pooled.coWriter = CoWriter(model: pooled.model, pronunciations: pronunciations, index: index)
                }
                let writer = pooled.coWriter!
                if writer.theme?.text != themeText { writer.theme = try Self.theme(themeText, model: writer.model) }
                return try body(writer)
            }
        } catch let e as LyricsError {
            throw GenerationInputError(e.description)
        }
    }
}

/// A pooled model copy and, once the studio used it, the co-writer over it.
final class PooledModel {
    let model: TokenModel
    var coWriter: CoWriter?
    init(_ model: TokenModel) { self.model = model }
}

/// Idle per-request workers (a model copy with its own recurrent state), handed out one per
/// request and returned afterwards. Loaded weights stay read-only and shared through `make`, so
/// concurrent requests never touch each other's state, and steady-state requests allocate nothing.
final class GeneratorPool<Worker>: @unchecked Sendable {
    private var idle: [Worker] = []
    private let lock = NSLock()
    private let make: () throws -> Worker
    private let maxIdle: Int

    /// 16 idle copies: the studio's clients each ask many small things, and a copy new to the
    /// studio first builds its vocabulary tables (~0.8 s for the shipped word model), so copies
    /// dropped after a burst of 16 clients made the next burst pay that again (a copy of the
    /// shipped word model held ~55 MB when it copied the weights; sharing them, 16 copies of each
    /// shipped model add ~130 MB in all: `scripts/bench/soak.py --pool-probe 5`).
    init(maxIdle: Int = 16, make: @escaping () throws -> Worker) {
        self.make = make
        self.maxIdle = maxIdle
    }

    func with<T>(_ body: (Worker) throws -> T) throws -> T {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        let worker = try reused ?? make()
        defer {
            lock.lock()
            if idle.count < maxIdle { idle.append(worker) }
            lock.unlock()
        }
        return try body(worker)
    }
}
