import Foundation
import LyricsCore

/// A sliding window over a file's bytes, refilled in 4 MB chunks, so a vector file of several GB
/// (1M words × 300 in text is about 3 GB) is read once from front to back and never held whole.
/// The parser consumes from `start`; a byte 0 always follows the buffered bytes so `strtof` stops
/// at the end of the data even when the file has no final newline.
final class ChunkReader {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Buffered bytes are `storage[start..<end]`.
    private(set) var start = 0
    private(set) var end = 0
    private(set) var atEOF = false
    /// Bytes already consumed and dropped from the window (for sizes in messages).
    private(set) var consumedBefore = 0
    private let pull: (Int) throws -> Data?

    static let chunk = 4 << 20
    /// Bytes asked of `pull` at a time: `chunk` for files, the size of bytes already in memory
    /// (so a small input does not cost a 4 MB buffer, which made the fuzz target crawl).
    private let chunk: Int

    /// `pull(n)` returns up to `n` more bytes, or nil / empty at the end of the input.
    init(chunk: Int = ChunkReader.chunk, pull: @escaping (Int) throws -> Data?) {
        self.chunk = max(chunk, 1)
        capacity = self.chunk + 1
        storage = .allocate(capacity: capacity)
        storage[0] = 0
        self.pull = pull
    }

    /// Reads from an open file stream (plain or through gzip).
    convenience init(handle: FileHandle, file: String) {
        self.init { n in
            do { return try handle.read(upToCount: n) } catch {
                throw LyricsError(file: file, "read failed: \(error.localizedDescription)")
            }
        }
    }

    /// Reads from bytes already in memory (tests, small inputs).
    convenience init(data: Data) {
        // At most `n` bytes per pull: the window holds only what it asked for (bytes of more than
        // one chunk used to be copied whole into it, past its end).
        var offset = data.startIndex
        self.init(chunk: min(data.count, Self.chunk)) { n in
            guard offset < data.endIndex else { return nil }
            let end = min(data.endIndex, offset + n)
            defer { offset = end }
            return data.subdata(in: offset..<end)
        }
    }

    deinit { storage.deallocate() }

    var available: Int { end - start }
    var pointer: UnsafeMutablePointer<UInt8> { storage + start }

    /// Makes at least `n` bytes available from `start` unless the input ends first; returns how
    /// many are available.
    @discardableResult
    func ensure(_ n: Int) throws -> Int {
        while available < n && !atEOF {
            if start > 0 {
                let count = available
                if count > 0 { storage.update(from: storage + start, count: count) }
                consumedBefore += start
                start = 0
                end = count
            }
            let want = max(n - available, chunk)
            if end + want + 1 > capacity {
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: end + want + 1)
                grown.update(from: storage, count: end)
                storage.deallocate()
                storage = grown
                capacity = end + want + 1
            }
            guard let data = try pull(capacity - end - 1), !data.isEmpty else {
                atEOF = true
                break
            }
            data.copyBytes(to: storage + end, count: data.count)
            end += data.count
            storage[end] = 0
        }
        return available
    }

    func consume(_ n: Int) {
        precondition(n <= available)
        start += n
    }

    /// The offset from `start` of the first `byte` at or after `from`, reading more as needed;
    /// nil when the input ends first or `limit` bytes were searched.
    func find(_ byte: UInt8, from: Int = 0, limit: Int = Int.max) throws -> Int? {
        var searched = from
        while true {
            if searched < available {
                let span = available - searched
                if let hit = memchr(pointer + searched, Int32(byte), span) {
                    let offset = UnsafeMutablePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - pointer
                    return offset < limit ? offset : nil
                }
                searched = available
            }
            if searched >= limit || atEOF { return nil }
            try ensure(available + chunk)
        }
    }

    /// The next line without its "\n" (length), or nil when nothing is left. The line stays
    /// buffered until `consume(length + 1)` (or `consumeLine`).
    func nextLine() throws -> Int? {
        if let nl = try find(0x0A) { return nl }
        return available > 0 ? available : nil
    }

    /// Drops a line of `length` bytes and its newline, if any.
    func consumeLine(_ length: Int) {
        consume(min(length + 1, available))
    }
}
