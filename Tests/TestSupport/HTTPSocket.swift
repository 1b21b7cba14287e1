import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP client for the HTTP tests: what a client does byte by byte (send a body in
/// pieces, read while sending, see the connection close) with send and receive timeouts, so a
/// server that stops reading fails the test instead of hanging it.
public final class HTTPSocket {
    let fd: Int32

    /// Connects to `127.0.0.1:port`; sends and receives give up after `timeout` seconds.
    public init(port: Int, timeout: Double = 5) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var tv = timeval()
        tv.tv_sec = .init(timeout.rounded(.down))
        tv.tv_usec = .init((timeout - timeout.rounded(.down)) * 1e6)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { close(fd); throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED) }
    }

    deinit { close(fd) }

    /// Sends all of `data`; false when the peer stopped taking it (timeout, reset or closed).
    @discardableResult
    public func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                #if canImport(Glibc)
                let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                #else
                let n = Darwin.send(fd, raw.baseAddress! + sent, raw.count - sent, 0)
                #endif
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
    }

    /// True when bytes (or the end of the stream) are waiting to be read, within `seconds`.
    public func readable(within seconds: Double = 0) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, Int32(seconds * 1000)) > 0
    }

    /// The next bytes; empty at the end of the stream, nil on a timeout or an error.
    public func receive() -> Data? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n < 0 ? nil : Data(buffer[0..<n])
    }

    /// Reads one response: the status code, the head's lines and the body (`Content-Length`
    /// bytes, or up to the end of the stream). Nil on a timeout or malformed head.
    public func readResponse() -> (status: Int, head: [String], body: Data)? {
        var data = Data()
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil {
            guard let more = receive(), !more.isEmpty else { return nil }
            data += more
        }
        let split = data.range(of: separator)!
        let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        var body = Data(data[split.upperBound...])
        let parts = head[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let length = head.dropFirst().compactMap { line -> Int? in
            let kv = line.split(separator: ":", maxSplits: 1)
            return kv.count == 2 && kv[0].lowercased() == "content-length" ? Int(kv[1].trimmingCharacters(in: .whitespaces)) : nil
        }.first
        while length.map({ body.count < $0 }) ?? true {
            guard let more = receive(), !more.isEmpty else { break }
            body += more
        }
        return (status, head, body)
    }

    /// One request on a fresh connection: status and body (nil when the server did not answer).
    public static func request(port: Int, _ method: String, _ path: String, body: String = "") throws -> (status: Int, body: Data)? {
        let s = try HTTPSocket(port: port)
        let head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        guard s.send(Data((head + body).utf8)), let r = s.readResponse() else { return nil }
        return (r.status, r.body)
    }
}
