import Foundation
import LyricsCore

/// Dense ids for byte strings (words), with lookups that never build a Swift String: the
/// pronunciation dictionary (126k words) and the originality index (the vocabulary of a 22M-word
/// corpus) are filled straight from file bytes, where a `[String: Int32]` would allocate a String
/// per word and dominate the load time. Open addressing with linear probing over FNV-1a hashes;
/// the words live back to back in one byte array.
public struct WordTable: Sendable {
    /// The words' bytes, back to back; word `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
    public private(set) var bytes: [UInt8] = []
    public private(set) var offsets: [Int32] = [0]
    /// Slot -> word id + 1 (0 = empty); the capacity is a power of two, kept at most half full.
    private var slots: [Int32]

    public var count: Int { offsets.count - 1 }

    public init(capacity: Int = 16) {
        slots = Array(repeating: 0, count: Self.slotCount(for: capacity))
    }

    /// Rebuilds a table from saved `bytes` and `offsets` (ids keep their order).
    public init(bytes: [UInt8], offsets: [Int32]) {
        self.init(bytes: bytes, offsets: offsets, slots: Self.slotCount(for: offsets.count))
    }

    private init(bytes: [UInt8], offsets: [Int32], slots count: Int) {
        self.bytes = bytes
        self.offsets = offsets
        slots = Array(repeating: 0, count: count)
        let mask = count - 1
        self.bytes.withUnsafeBytes { all in
            for id in 0..<(offsets.count - 1) {
                let word = UnsafeRawBufferPointer(rebasing: all[Int(offsets[id])..<Int(offsets[id + 1])])
                var s = Int(truncatingIfNeeded: Self.hash(word)) & mask
                while slots[s] != 0 { s = (s + 1) & mask }
                slots[s] = Int32(id + 1)
            }
        }
    }

    /// A power of two at least twice `words`.
    private static func slotCount(for words: Int) -> Int {
        var size = 16
        while size < words * 2 { size <<= 1 }
        return size
    }

    /// FNV-1a 64 over the bytes.
    @inline(__always)
    public static func hash(_ word: UnsafeRawBufferPointer) -> UInt64 { FNV1a.hash(bytes: word) }

    /// The id of `word`, or nil.
    @inline(__always)
    public func id(of word: UnsafeRawBufferPointer) -> Int32? {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: Self.hash(word)) & mask
        return bytes.withUnsafeBytes { all -> Int32? in
            while true {
                let entry = slots[s]
                if entry == 0 { return nil }
                let id = Int(entry - 1)
                let start = Int(offsets[id]), end = Int(offsets[id + 1])
                if end - start == word.count && (word.isEmpty || memcmp(all.baseAddress! + start, word.baseAddress!, word.count) == 0) {
                    return Int32(id)
                }
                s = (s + 1) & mask
            }
        }
    }

    public func id(of word: String) -> Int32? {
        var w = word
        return w.withUTF8 { id(of: UnsafeRawBufferPointer($0)) }
    }

    /// The id of `word`, adding it when new.
    @discardableResult
    public mutating func insert(_ word: UnsafeRawBufferPointer) -> Int32 {
        if let id = id(of: word) { return id }
        if (count + 1) * 2 > slots.count { grow() }
        let id = Int32(count)
        bytes.append(contentsOf: word)
        offsets.append(Int32(bytes.count))
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: Self.hash(word)) & mask
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = id + 1
        return id
    }

    @discardableResult
    public mutating func insert(_ word: String) -> Int32 {
        var w = word
        return w.withUTF8 { insert(UnsafeRawBufferPointer($0)) }
    }

    public func word(_ id: Int32) -> String {
        String(decoding: bytes[Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])], as: UTF8.self)
    }

    private mutating func grow() {
        self = WordTable(bytes: bytes, offsets: offsets, slots: slots.count * 2)
    }
}
