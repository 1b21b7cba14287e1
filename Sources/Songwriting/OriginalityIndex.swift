import Foundation
import LyricsCore

/// Finds where generated lines copy their training text: lines that are exactly a training line,
/// and runs of at least `minRun` consecutive words found inside one training line, each with the
/// line it comes from (1-based line number in the normalised training text, and its text).
///
/// The index is hashed word n-grams: the training text as word ids (a separator after each line,
/// so no match crosses a line end), and the start position of every `gram`-word sequence inside a
/// line, grouped by hash bucket (a counting sort: two linear passes, no comparison sort over 22M
/// positions). A run of at least `minRun >= gram` words starting at query word i contains the
/// `gram`-grams at i ... i + minRun - gram, all at the same offsets in the training text, so the
/// rarest of them (smallest bucket) gives every candidate position, each checked word by word.
/// A separate sorted table of line hashes finds exact lines, including lines shorter than `gram`.
/// Memory: 4 bytes per word for the ids, 4 per indexed n-gram, 4 per bucket (about a quarter as
/// many buckets as n-grams), 12 per line.
public final class OriginalityIndex: @unchecked Sendable {
    /// Words per indexed n-gram, the shortest run that can be searched for.
    public static let gram = 3
    static let separator = UInt32.max

    /// What the index was built from ("fnv1a64:<hex>:<bytes>" of the corpus file or text).
    public let fingerprint: String
    let vocabulary: WordTable
    /// Word ids of the training text, `separator` after each line.
    let tokens: [UInt32]
    /// Token position of each line's first word.
    let lineStarts: [UInt32]
    /// Bucket b's n-gram positions are `positions[bucketStarts[b] ..< bucketStarts[b + 1]]`.
    let bucketStarts: [UInt32]
    let positions: [UInt32]
    /// Hashes of whole lines, ascending, with the (0-based) line each belongs to.
    let lineHashes: [UInt64]
    let lineHashLines: [UInt32]

    public var lineCount: Int { lineStarts.count }
    public var wordCount: Int { tokens.count - lineStarts.count }

    init(fingerprint: String, vocabulary: WordTable, tokens: [UInt32], lineStarts: [UInt32], bucketStarts: [UInt32],
         positions: [UInt32], lineHashes: [UInt64], lineHashLines: [UInt32]) {
        self.fingerprint = fingerprint
        self.vocabulary = vocabulary
        self.tokens = tokens
        self.lineStarts = lineStarts
        self.bucketStarts = bucketStarts
        self.positions = positions
        self.lineHashes = lineHashes
        self.lineHashLines = lineHashLines
    }

    /// Builds the index of normalised text (one line per line, as `Corpus` or `TextNormalizer`
    /// give it). `fingerprint` defaults to that of the text.
    public static func build(text: String, fingerprint: String? = nil, progress: ProgressReporter? = nil) -> OriginalityIndex {
        var vocabulary = WordTable(capacity: 1 << 16)
        var tokens = [UInt32](), lineStarts = [UInt32]()
        var text = text
        let fp = fingerprint ?? Fingerprint.of(text: text)
        text.withUTF8 { buf in
            tokens.reserveCapacity(buf.count / 4)
            var lineOpen = false
            WordTokenizer.forEachTokenBytes(in: UnsafeRawBufferPointer(buf)) { word in
                if let word {
                    if !lineOpen { lineStarts.append(UInt32(tokens.count)); lineOpen = true }
                    tokens.append(UInt32(vocabulary.insert(word)))
                } else if lineOpen {
                    tokens.append(separator); lineOpen = false
                }
            }
            if lineOpen { tokens.append(separator) }
        }
        progress?.update(done: 1, extra: "tokenised \(tokens.count) tokens", force: true)
        // Counting sort of n-gram start positions by bucket.
        let grams = max(tokens.count, 1)
        var bits = 10
        while bits < 24 && (1 << bits) < grams / 4 { bits += 1 }
        var bucketStarts = [UInt32](repeating: 0, count: (1 << bits) + 1)
        var positions = [UInt32]()
        tokens.withUnsafeBufferPointer { t in
            forEachGram(t) { _, h in bucketStarts[Int(h >> UInt64(64 - bits)) + 1] += 1 }
            for b in 1..<bucketStarts.count { bucketStarts[b] += bucketStarts[b - 1] }
            positions = [UInt32](repeating: 0, count: Int(bucketStarts.last!))
            var fill = bucketStarts
            forEachGram(t) { p, h in
                let b = Int(h >> UInt64(64 - bits))
                positions[Int(fill[b])] = UInt32(p)
                fill[b] += 1
            }
        }
        progress?.update(done: 2, extra: "indexed \(positions.count) \(gram)-grams", force: true)
        var lines = [(UInt64, UInt32)]()
        lines.reserveCapacity(lineStarts.count)
        tokens.withUnsafeBufferPointer { t in
            for (k, s) in lineStarts.enumerated() {
                var e = Int(s)
                while t[e] != separator { e += 1 }
                lines.append((hashIDs(UnsafeBufferPointer(rebasing: t[Int(s)..<e])), UInt32(k)))
            }
        }
        lines.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return OriginalityIndex(fingerprint: fp, vocabulary: vocabulary, tokens: tokens, lineStarts: lineStarts,
                                bucketStarts: bucketStarts, positions: positions,
                                lineHashes: lines.map(\.0), lineHashLines: lines.map(\.1))
    }

    /// Visits every n-gram that lies inside one line, with its hash.
    @inline(__always)
    private static func forEachGram(_ t: UnsafeBufferPointer<UInt32>, _ body: (Int, UInt64) -> Void) {
        guard t.count >= gram else { return }
        for p in 0...(t.count - gram) {
            var inside = true
            for k in 0..<gram where t[p + k] == separator { inside = false; break }
            if inside { body(p, hashIDs(UnsafeBufferPointer(rebasing: t[p..<(p + gram)]))) }
        }
    }

    /// A well-mixed 64-bit hash of a word-id sequence (SplitMix-style rounds).
    @inline(__always)
    static func hashIDs(_ ids: UnsafeBufferPointer<UInt32>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(ids.count)
        for id in ids {
            h = (h ^ UInt64(id)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    var bucketBits: Int { (bucketStarts.count - 1).trailingZeroBitCount }

    // MARK: Queries

    /// Word ids of normalised words; nil for a word the training text never has.
    public func ids<C: Collection>(of words: C) -> [UInt32?] where C.Element == String {
        words.map { vocabulary.id(of: $0).map(UInt32.init) }
    }

    /// The 0-based training line of an exact copy of `ids`, or nil.
    func exactLine(_ ids: [UInt32?]) -> Int? {
        let known = ids.compactMap { $0 }
        guard !known.isEmpty, known.count == ids.count else { return nil }
        let h = known.withUnsafeBufferPointer { Self.hashIDs($0) }
        var lo = 0, hi = lineHashes.count
        while lo < hi { let mid = (lo + hi) / 2; if lineHashes[mid] < h { lo = mid + 1 } else { hi = mid } }
        while lo < lineHashes.count && lineHashes[lo] == h {
            let line = Int(lineHashLines[lo])
            let s = Int(lineStarts[line])
            if s + known.count < tokens.count, tokens[s + known.count] == Self.separator,
               tokens[s..<(s + known.count)].elementsEqual(known) { return line }
            lo += 1
        }
        return nil
    }

    /// The longest match of the query starting at `i` among runs of at least `minRun` words:
    /// (length, training position), or nil when no run of `minRun` words starts there.
    func longestMatch(_ q: [UInt32?], at i: Int, minRun: Int) -> (length: Int, position: Int)? {
        precondition(minRun >= Self.gram)
        guard i + minRun <= q.count else { return nil }
        var window = [UInt32]()
        window.reserveCapacity(minRun)
        for k in i..<(i + minRun) { guard let id = q[k] else { return nil }; window.append(id) }
        let shift = UInt64(64 - bucketBits)
        // The rarest n-gram of the window (smallest bucket) yields every candidate.
        var bestOffset = 0, bestBucket = 0, bestSize = Int.max
        window.withUnsafeBufferPointer { w in
            for j in 0...(minRun - Self.gram) {
                let b = Int(Self.hashIDs(UnsafeBufferPointer(rebasing: w[j..<(j + Self.gram)])) >> shift)
                let size = Int(bucketStarts[b + 1] - bucketStarts[b])
                if size < bestSize { bestSize = size; bestBucket = b; bestOffset = j }
            }
        }
        if bestSize == 0 { return nil }
        var best: (length: Int, position: Int)?
        tokens.withUnsafeBufferPointer { t in
            positions.withUnsafeBufferPointer { pos in
                for k in Int(bucketStarts[bestBucket])..<Int(bucketStarts[bestBucket + 1]) {
                    let s = Int(pos[k]) - bestOffset
                    guard s >= 0, s + minRun <= t.count else { continue }
                    var l = 0
                    while i + l < q.count, s + l < t.count, let id = q[i + l], t[s + l] == id { l += 1 }
                    if l >= minRun && (best == nil || l > best!.length || (l == best!.length && s < best!.position)) {
                        best = (l, s)
                    }
                }
            }
        }
        return best
    }

    /// The 0-based line holding token position `p`.
    func line(containing p: Int) -> Int {
        var lo = 0, hi = lineStarts.count
        while hi - lo > 1 { let mid = (lo + hi) / 2; if Int(lineStarts[mid]) <= p { lo = mid } else { hi = mid } }
        return lo
    }

    /// The text of 0-based training line `k` (the normalised line exactly).
    public func lineText(_ k: Int) -> String {
        var words = [String]()
        var p = Int(lineStarts[k])
        while tokens[p] != Self.separator { words.append(vocabulary.word(Int32(tokens[p]))); p += 1 }
        return words.joined(separator: " ")
    }
}

/// Fingerprints of training texts: FNV-1a 64 over the bytes and their count.
public enum Fingerprint {
    public static func of(bytes: UnsafeRawBufferPointer) -> String {
        var h = FNV1a()
        var i = 0
        let n = bytes.count
        // Eight bytes per step (the byte-wise loop is the bottleneck on a 50 MB file).
        while i + 8 <= n {
            h.add(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        h.add(bytes: UnsafeRawBufferPointer(rebasing: bytes[i..<n]))
        return "fnv1a64:\(String(h.value, radix: 16)):\(n)"
    }

    public static func of(text: String) -> String {
        var t = text
        return t.withUTF8 { of(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The fingerprint of a file's bytes as stored (a .gz corpus is not decompressed).
    public static func of(file path: String) throws -> String {
        let data = try InputFile.read(path)
        return data.withUnsafeBytes { of(bytes: $0) }
    }
}
