import Foundation
import Hummingbird

/// Reads a request body up to a limit, and answers a bigger one with a 413 that every client
/// gets. `request.body.collect(upTo:)` alone is not enough: after its 413 Hummingbird stops
/// reading a request that said `Connection: close` (Python's urllib always says it) and waits for
/// the client to close, while the client, which sends its whole body before it reads anything,
/// waits for the server to read: both wait until the client's timeout once the body outgrows the
/// socket buffers (a 5 MB body does, a 1 MB body does not). So, as nginx does ("lingering
/// close"), the 413 with `Connection: close` leaves at once, then what the client is still sending
/// is read and dropped (for at most `lingerSeconds` and `lingerBytes`), so that its send finishes
/// and it reads the answer, and then the connection is closed.
enum BodyLimit {
    static let lingerSeconds = 5.0
    static let lingerBytes = 64 << 20

    enum Outcome {
        case complete(ByteBuffer)
        case tooLarge(Response)
    }

    /// The whole body when it has at most `limit` bytes, else the 413 response to return.
    static func read(_ request: Request, upTo limit: Int) async throws -> Outcome {
        var iterator = request.body.makeAsyncIterator()
        var collected = ByteBuffer()
        while let part = try await iterator.next() {
            guard collected.readableBytes + part.readableBytes <= limit else {
                return .tooLarge(tooLarge(limit: limit, rest: Leftover(iterator)))
            }
            var part = part
            collected.writeBuffer(&part)
        }
        return .complete(collected)
    }

    /// The 413: its JSON error and `Connection: close` are written and flushed first; the rest of
    /// the body is dropped while the client sends it; then the connection closes.
    static func tooLarge(limit: Int, rest: Leftover) -> Response {
        let message = "request body is larger than \(limit / 1024) KiB"
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data("{}".utf8)
        let body = ResponseBody(contentLength: data.count) { writer in
            try await writer.write(ByteBuffer(bytes: data))
            try await writer.finish(nil)
            await rest.drop(seconds: lingerSeconds, bytes: lingerBytes)
            // Leaving the response writer with an error is how a Hummingbird handler closes its
            // connection (the server logs it at trace level only).
            throw ConnectionClosed()
        }
        return Response(status: .contentTooLarge, headers: [.contentType: "application/json", .connection: "close"], body: body)
    }

    struct ConnectionClosed: Error {}

    /// The unread rest of a request body. The response body closure that drops it runs in the
    /// request's own task after the handler returned, so the iterator is never used concurrently.
    final class Leftover: @unchecked Sendable {
        var iterator: RequestBody.AsyncIterator

        init(_ iterator: RequestBody.AsyncIterator) { self.iterator = iterator }

        /// Reads and drops the body until it ends, `bytes` were read or `seconds` passed.
        func drop(seconds: Double, bytes: Int) async {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var read = 0
                    while read < bytes, let part = try? await self.iterator.next() { read += part.readableBytes }
                }
                group.addTask { try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
