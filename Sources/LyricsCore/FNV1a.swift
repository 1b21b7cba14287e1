/// FNV-1a 64, fed piece by piece: the one implementation of the hash behind the checkpoints'
/// text fingerprints (`SequenceCheckpoint.fingerprint`, `Fingerprint`), the digests a
/// distributed run hands to `Distributed.agree(fingerprint:)`, the vector files' vocabulary hash
/// (`VectorTable.hash`) and the byte-string tables' slots (`WordTable`). Its methods are
/// inlinable because `WordTable` hashes every word it looks up. Not for security.
public struct FNV1a: Sendable {
    @usableFromInline var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public var value: UInt64 { state }

    @inlinable public init() {}

    @inlinable @inline(__always)
    public mutating func add(_ x: UInt64) { state = (state ^ x) &* 0x100_0000_01B3 }

    @inlinable
    public mutating func add(_ x: Int) { add(UInt64(bitPattern: Int64(x))) }

    /// The bytes one by one, with no count (the classic byte-wise FNV-1a).
    @inlinable @inline(__always)
    public mutating func add(bytes: UnsafeRawBufferPointer) {
        for b in bytes { add(UInt64(b)) }
    }

    /// The string's bytes, then its length (so "ab","c" and "a","bc" differ).
    public mutating func add(_ s: String) {
        for b in s.utf8 { add(UInt64(b)) }
        add(s.utf8.count)
    }

    /// Every value of `ids`, as unsigned 32-bit values (no count: a stream fed in pieces hashes
    /// as the whole; callers add the count where it matters).
    public mutating func add(_ ids: UnsafeBufferPointer<Int32>) {
        for id in ids { add(UInt64(UInt32(bitPattern: id))) }
    }

    /// The classic FNV-1a 64 of `bytes`.
    @inlinable @inline(__always)
    public static func hash(bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = FNV1a()
        h.add(bytes: bytes)
        return h.value
    }
}
