/// Word vocabulary with counts, most frequent first (ties broken alphabetically so the order, and
/// therefore every index, is the same on every machine). Words below `minCount` are folded into
/// one unknown token, which the word models need as a real row; the newline token is always kept.
public struct Vocabulary: Sendable, Equatable {
    public static let unknown = "<unk>"

    public private(set) var words: [String]
    public private(set) var counts: [Int]
    public private(set) var index: [String: Int32]

    public var count: Int { words.count }
    public var unknownID: Int32? { index[Self.unknown] }
    public var newlineID: Int32? { index[WordTokenizer.newline] }
    public var totalCount: Int { counts.reduce(0, +) }

    /// Builds from explicit (word, count) pairs, sorting them into the canonical order.
    public init(counts pairs: [(String, Int)]) {
        let sorted = pairs.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        words = sorted.map(\.0)
        counts = sorted.map(\.1)
        index = Self.firstIndex(words)
    }

    /// The one way a word list becomes a word → id map (ids are positions; a repeated word keeps
    /// its first id): vocabularies, vector tables and word embeddings all look words up through it.
    public static func firstIndex(_ words: [String]) -> [String: Int32] {
        var idx = [String: Int32](minimumCapacity: words.count)
        for (i, w) in words.enumerated() where idx[w] == nil { idx[w] = Int32(i) }
        return idx
    }

    /// Builds from words in a fixed order (as read from a vector file), keeping that order.
    public init(orderedWords: [String], counts: [Int]? = nil) throws {
        words = orderedWords
        self.counts = counts ?? Array(repeating: 0, count: orderedWords.count)
        index = Self.firstIndex(orderedWords)
        if index.count != orderedWords.count, let w = orderedWords.enumerated().first(where: { index[$1] != Int32($0) })?.element {
            throw LyricsError("duplicate word '\(w)' in vocabulary")
        }
    }

    /// Counts the tokens of normalised text and keeps words seen at least `minCount` times.
    /// Throws when nothing survives, since every model downstream needs at least one word.
    public static func build(from normalized: String, minCount: Int, file: String? = nil) throws -> Vocabulary {
        guard !normalized.isEmpty else { throw LyricsError(file: file, "corpus is empty after normalisation") }
        return try build(counts: countTokens(normalized), minCount: minCount, file: file)
    }

    /// Keeps the words of raw token counts seen at least `minCount` times (see `build(from:)`).
    public static func build(counts raw: [String: Int], minCount: Int, file: String? = nil) throws -> Vocabulary {
        var kept = [(String, Int)]()
        var unknown = 0
        for (w, c) in raw {
            if c >= minCount || w == WordTokenizer.newline { kept.append((w, c)) } else { unknown += c }
        }
        guard kept.contains(where: { $0.0 != WordTokenizer.newline }) else {
            throw LyricsError(file: file, "no word occurs at least \(minCount) times (min-count); use a larger corpus or a lower --min-count")
        }
        if unknown > 0 { kept.append((Self.unknown, unknown)) }
        return Vocabulary(counts: kept)
    }

    /// Raw token counts keyed by word.
    public static func countTokens(_ normalized: String) -> [String: Int] {
        var counts = [String: Int]()
        countTokens(normalized, into: &counts)
        return counts
    }

    /// Adds the token counts of a piece of normalised text to `counts`.
    public static func countTokens(_ normalized: String, into counts: inout [String: Int]) {
        WordTokenizer.forEachToken(in: normalized) { counts[$0, default: 0] += 1 }
    }

    /// Maps normalised text to token ids; words not in the vocabulary become the unknown token,
    /// or are skipped when the vocabulary has none (vectors trained without an unknown row).
    public func encode(_ normalized: String) -> [Int32] {
        var ids = [Int32]()
        ids.reserveCapacity(normalized.utf8.count / 4)
        let unk = unknownID
        WordTokenizer.forEachToken(in: normalized) { w in
            if let id = index[w] { ids.append(id) } else if let unk { ids.append(unk) }
        }
        return ids
    }

    public func decode<S: Sequence>(_ ids: S) -> [String] where S.Element == Int32 {
        ids.map { words[Int($0)] }
    }
}
