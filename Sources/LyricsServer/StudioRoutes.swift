import Foundation
import Hummingbird
import Songwriting

/// The co-writing studio's JSON API (described in Resources/openapi.json, which the page is
/// limited to): alternatives for a line, the next words at a cursor, rhyme words in context, and
/// the analysis of a draft (syllables, rhyme letters, copies, the stanza plan). Every action
/// takes the whole draft and the generation fields of /api/generate, validated the same way.
enum StudioRoutes {
    static let bodyLimit = 64 * 1024

    /// One decoded, validated studio request.
    struct Call: Sendable {
        var request: GenerateRequest
        var fields: StudioFields
        var draft: SongDraft
        var generator: any LyricsGenerator
    }

    static func add(to router: Router<BasicRequestContext>, registry: [String: any LyricsGenerator], index: OriginalityIndex?) {
        router.post("/api/studio/alternatives") { request, _ -> AlternativesResponse in
            let call = try await decode(request, registry: registry, index: index, positioned: true)
            let count = try call.fields.count(StudioFields.alternativeCount)
            let seed = call.request.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
            return try await LyricsServer.offload {
                try call.generator.coWrite(call.request, index: index) { writer in
                    let sampling = TokenModelGenerator.sampling(call.request, model: writer.model)
                    let candidates = try writer.alternatives(call.draft, stanza: call.fields.stanza, line: call.fields.line,
                                                             start: call.fields.start, count: count, sampling: sampling, seed: seed)
                    return AlternativesResponse(model: call.generator.name, seed: seed,
                                                goal: writer.goalSummary(call.draft, stanza: call.fields.stanza, line: call.fields.line),
                                                candidates: candidates)
                }
            }
        }
        router.post("/api/studio/next-words") { request, _ -> NextWordsResponse in
            let call = try await decode(request, registry: registry, index: index, positioned: true)
            let count = try call.fields.count(StudioFields.nextWordCount)
            return try await LyricsServer.offload {
                try call.generator.coWrite(call.request, index: index) { writer in
                    let next = writer.nextTokens(call.draft, stanza: call.fields.stanza, line: call.fields.line,
                                                 text: call.fields.text, count: count)
                    return NextWordsResponse(model: call.generator.name, kind: call.generator.kind, tokens: next.tokens, endOfLine: next.endOfLine)
                }
            }
        }
        router.post("/api/studio/rhymes") { request, _ -> RhymesResponse in
            let call = try await decode(request, registry: registry, index: index, positioned: true)
            let count = try call.fields.count(StudioFields.rhymeCount)
            guard let word = call.fields.word?.trimmingCharacters(in: .whitespaces), !word.isEmpty, !word.contains(" ") else {
                throw HTTPError(.badRequest, message: "word: give the one word to rhyme with")
            }
            return try await LyricsServer.offload {
                try call.generator.coWrite(call.request, index: index) { writer in
                    RhymesResponse(model: call.generator.name, word: word,
                                   rhymes: writer.rhymes(with: word, call.draft, stanza: call.fields.stanza, line: call.fields.line,
                                                         text: call.fields.text, count: count))
                }
            }
        }
        router.post("/api/studio/analyze") { request, _ -> AnalyzeResponse in
            let call = try await decode(request, registry: registry, index: index, positioned: false)
            let pronunciations = try Pronunciations.shared
            return try await LyricsServer.offload {
                AnalyzeResponse(stanzas: call.draft.plan.map { .init(part: $0.part, label: $0.part.map(Song.label), lines: $0.lines, repeats: $0.repeats) },
                                lines: call.draft.analysis(pronunciations: pronunciations, index: index))
            }
        }
    }

    /// Reads (up to the body limit) and validates a studio request: the generation fields as
    /// /api/generate checks them, the song's spec, the draft's sizes, and (`positioned`) that
    /// `stanza`/`line` name a line to write. Every problem is a 4xx naming the field.
    static func decode(_ request: Request, registry: [String: any LyricsGenerator], index: OriginalityIndex?, positioned: Bool) async throws -> Call {
        let body: ByteBuffer
        switch try await BodyLimit.read(request, upTo: bodyLimit) {
        case .complete(let buffer): body = buffer
        case .tooLarge(let response): throw PrebuiltResponse(response: response)
        }
        let data = Data(buffer: body)
        let generate: GenerateRequest, fields: StudioFields
        do {
            generate = try JSONDecoder().decode(GenerateRequest.self, from: data)
            fields = try JSONDecoder().decode(StudioFields.self, from: data)
        } catch {
            throw HTTPError(.badRequest, message: "request body is not a valid studio request: \(LyricsServer.describe(error))")
        }
        guard let generator = registry[generate.model] else {
            throw HTTPError(.notFound, message: "unknown model '\(generate.model)'; see /api/models")
        }
        if let problem = generate.problem() { throw HTTPError(.badRequest, message: problem) }
        let spec: SongSpec
        do { spec = try generate.songSpec() } catch { throw HTTPError(.badRequest, message: "\(error)") }
        if spec.maxCopy != nil, index == nil {
            throw HTTPError(.badRequest, message: "maxCopy needs a training text: start the server with --corpus FILE")
        }
        if let problem = fields.draftProblem() { throw HTTPError(.badRequest, message: problem) }
        let draft = SongDraft(spec: spec, stanzas: fields.song)
        if positioned, let problem = fields.positionProblem(in: draft) { throw HTTPError(.badRequest, message: problem) }
        return Call(request: generate, fields: fields, draft: draft, generator: generator)
    }
}

/// A response made before the handler could run (the body limit's 413), thrown so that the
/// typed handlers above stay typed; the middleware returns it as it is.
struct PrebuiltResponse: Error, @unchecked Sendable {
    var response: Response
}

extension AlternativesResponse: ResponseEncodable {}
extension NextWordsResponse: ResponseEncodable {}
extension RhymesResponse: ResponseEncodable {}
extension AnalyzeResponse: ResponseEncodable {}
