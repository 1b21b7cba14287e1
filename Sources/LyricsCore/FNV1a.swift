/// FNV-1a 64, fed piece by piece: the fingerprints of training text in checkpoints
/// (`SequenceCheckpoint.fingerprint`) and the digests a distributed run hands to
/// `Distributed.agree(fingerprint:)` (options, vocabulary, token stream), so ranks that read
/// different data or options are refused before the first collective. Not for security.
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    @inline(__always)
    public mutating func add(_ x: UInt64) { value = (value ^ x) &* 0x100_0000_01B3 }

    public mutating func add(_ x: Int) { add(UInt64(bitPattern: Int64(x))) }

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
}
