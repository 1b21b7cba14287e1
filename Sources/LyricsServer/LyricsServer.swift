import Dispatch
import Foundation
import Hummingbird
import Songwriting

/// The `lyrics serve` web app: the co-writing studio page (and the classic one-form page) and
/// a JSON API over models loaded once at start-up (StudioRoutes: the studio's actions).
/// Generation is CPU-bound, so it runs on a Dispatch queue instead of blocking Swift
/// concurrency's small cooperative pool that also serves the HTTP connections.
public enum LyricsServer {
    /// `onListening` gets the port the server listens on (the one the system picked for port 0);
    /// `index`: the training text's originality index, to flag copied lines and honour `maxCopy`.
    public static func makeApplication(generators: [any LyricsGenerator], host: String = "127.0.0.1", port: Int = 8080,
                                       index: OriginalityIndex? = nil,
                                       onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let registry = Dictionary(generators.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let router = makeRouter(registry: registry, order: generators.map(\.name), index: index)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                           onServerRunning: { await onListening($0.localAddress?.port ?? port) })
    }

    static func makeRouter(registry: [String: any LyricsGenerator], order: [String], index: OriginalityIndex? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorAsJSONMiddleware())
        StaticFiles.add(to: router, models: order)
        router.get("/api/models") { _, _ -> [ModelInfo] in
            order.compactMap { registry[$0] }.map { ModelInfo(name: $0.name, kind: $0.kind, summary: $0.summary) }
        }
        router.post("/api/generate") { request, context -> Response in
            let body: ByteBuffer
            switch try await BodyLimit.read(request, upTo: 64 * 1024) {
            case .complete(let buffer): body = buffer
            case .tooLarge(let response): return response
            }
            let decoded: GenerateRequest
            do {
                decoded = try JSONDecoder().decode(GenerateRequest.self, from: Data(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "request body is not a valid generation request: \(Self.describe(error))")
            }
            guard let generator = registry[decoded.model] else {
                throw HTTPError(.notFound, message: "unknown model '\(decoded.model)'; see /api/models")
            }
            if let problem = decoded.problem() { throw HTTPError(.badRequest, message: problem) }
            var req = decoded
            let seed = req.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
            req.seed = seed
            let ready = req
            if ready.isSong {
                let spec = try ready.songSpec()
                if spec.maxCopy != nil, index == nil {
                    throw HTTPError(.badRequest, message: "maxCopy needs a training text: start the server with --corpus FILE")
                }
                let song = try await Self.offload { try generator.writeSong(ready, spec: spec, index: index) }
                return try GenerateResponse(model: generator.name, kind: generator.kind, text: song.text(), seed: seed,
                                            lines: song.lines, notes: song.notes).response(from: request, context: context)
            }
            let text = try await Self.offload { try generator.generate(ready) }
            var response = GenerateResponse(model: generator.name, kind: generator.kind, text: text, seed: seed)
            if let index { response.lines = Song(checking: text, index: index).lines }
            return try response.response(from: request, context: context)
        }
        StudioRoutes.add(to: router, registry: registry, index: index)
        return router
    }

    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return "wrong type for '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let ctx):
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "malformed JSON" : "bad value for '\(path)'"
        default: return "malformed JSON"
        }
    }
}

/// Turns every failure into `{"error": "..."}` with a 4xx for the caller's mistakes, so the page
/// and scripts get one shape of error and the server never drops a connection on bad input.
struct ErrorAsJSONMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PrebuiltResponse {
            return error.response
        } catch let error as HTTPError {
            return Self.json(error.status, error.body ?? "\(error.status)")
        } catch let error as GenerationInputError {
            return Self.json(.unprocessableContent, error.description)
        } catch let error as HTTPResponseError {
            return Self.json(error.status, "\(error.status)")
        } catch {
            return Self.json(.internalServerError, "generation failed: \(error)")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension GenerateResponse: ResponseEncodable {}
extension ModelInfo: ResponseEncodable {}
