import Foundation

/// The token stream the skip-gram trainer reads, two bytes a token: a vocabulary is sorted by
/// count, so ids below 65,535 are the words that make almost every token, and the rare rest is
/// kept as an escape (`UInt16.max`) plus its full id in `wide`. The full corpus's 25M tokens take
/// 51 MB instead of 101 MB as `[Int32]`, which is what brings the trainer's peak memory under
/// gensim's. Readers walk it in order (`decode`), as the trainer does chunk by chunk; `block`
/// records how many escapes come before every 4,096th token, so a walk can start anywhere.
public struct TokenIDs: Sendable, Equatable {
    public private(set) var count = 0
    private var narrow = [UInt16]()
    private var wide = [Int32]()
    /// Escapes before token i · blockSize.
    private var block = [Int32]()
    static let escape = UInt16.max
    static let blockSize = 4096

    public init() {}

    /// The ids of `ids`, stored compactly.
    public init(_ ids: [Int32]) {
        reserveCapacity(ids.count)
        append(contentsOf: ids)
    }

    public mutating func reserveCapacity(_ n: Int) { narrow.reserveCapacity(n) }

    public mutating func append(contentsOf ids: [Int32]) {
        for id in ids {
            if count % Self.blockSize == 0 { block.append(Int32(wide.count)) }
            if id >= 0 && id < Int32(Self.escape) {
                narrow.append(UInt16(id))
            } else {
                narrow.append(Self.escape)
                wide.append(id)
            }
            count += 1
        }
    }

    /// Escapes before token `i` (the index in `wide` of the next escaped id at or after `i`).
    func wideIndex(at i: Int) -> Int {
        guard i < count else { return wide.count }
        var w = Int(block[i / Self.blockSize])
        var j = i - i % Self.blockSize
        while j < i { if narrow[j] == Self.escape { w += 1 }; j += 1 }
        return w
    }

    /// Writes the ids of `range` to `into` (room for `range.count`).
    public func decode(_ range: Range<Int>, into: UnsafeMutablePointer<Int32>) {
        var w = wideIndex(at: range.lowerBound)
        narrow.withUnsafeBufferPointer { n in
            wide.withUnsafeBufferPointer { wd in
                var k = 0
                for i in range {
                    let v = n[i]
                    if v != Self.escape { into[k] = Int32(v) } else { into[k] = wd[w]; w += 1 }
                    k += 1
                }
            }
        }
    }

    /// The ids of `range` as an array.
    public func ids(_ range: Range<Int>) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: range.count) { buf, n in
            if let base = buf.baseAddress { decode(range, into: base) }
            n = range.count
        }
    }

    /// Every id in order, a chunk at a time (`body` gets the chunk and its first index).
    public func forEachChunk(size: Int = 1 << 16, _ body: (UnsafeBufferPointer<Int32>, Int) throws -> Void) rethrows {
        var buf = [Int32](repeating: 0, count: min(size, max(count, 1)))
        var start = 0
        while start < count {
            let end = min(start + size, count)
            try buf.withUnsafeMutableBufferPointer { b in
                decode(start..<end, into: b.baseAddress!)
                try body(UnsafeBufferPointer(rebasing: b[0..<(end - start)]), start)
            }
            start = end
        }
    }

    /// The last id (nil when empty).
    public var last: Int32? { count > 0 ? ids((count - 1)..<count)[0] : nil }

    /// Tokens the storage holds without growing.
    public var capacity: Int { narrow.capacity }

    /// Resident bytes of the stored ids.
    public var bytes: Int { narrow.count * 2 + wide.count * 4 + block.count * 4 }
}
