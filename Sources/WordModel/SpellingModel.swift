import Foundation
import LyricsCore

/// A character unigram model of how words are spelt: letters (every byte seen in training-split
/// words, plus any the text may hold: a-z and apostrophe) and an end-of-word symbol, with add-one
/// smoothing. A word outside the word model's vocabulary pays "<unk>" plus its spelling under
/// this model, so the word model pays for every character of the text, as the char model does.
public struct SpellingModel: Codable, Equatable, Sendable {
    /// −log2 p for each byte 0...255 (only the alphabet is used) and for end-of-word.
    public var bits: [Double]
    public var endOfWordBits: Double

    /// The symbols normalised text can hold inside a word.
    public static let alphabet: [UInt8] = Array(UInt8(ascii: "a")...UInt8(ascii: "z")) + [UInt8(ascii: "'")]

    /// Fits on every word token of `normalized` (the training split): count(c) + 1 over
    /// (total + alphabet size + 1), end-of-word counted once per token.
    public init(trainingText normalized: String) {
        var counts = [Int](repeating: 0, count: 256)
        var words = 0
        var text = normalized
        text.withUTF8 { buf in
            WordTokenizer.forEachTokenBytes(in: UnsafeRawBufferPointer(buf)) { slice in
                guard let slice else { return }
                for b in slice { counts[Int(b)] += 1 }
                words += 1
            }
        }
        self.init(counts: counts, words: words)
    }

    init(counts: [Int], words: Int) {
        var symbols = Set(Self.alphabet)
        for b in 0..<256 where counts[b] > 0 { symbols.insert(UInt8(b)) }
        let total = Double(counts.reduce(0, +) + words + symbols.count + 1)
        bits = [Double](repeating: .infinity, count: 256)
        for s in symbols { bits[Int(s)] = -log2(Double(counts[Int(s)] + 1) / total) }
        endOfWordBits = -log2(Double(words + 1) / total)
    }

    /// Bits to spell `word` then end it.
    public func bits(of word: String) -> Double {
        var s = endOfWordBits
        for b in word.utf8 { s += bits[Int(b)].isFinite ? bits[Int(b)] : 8 }
        return s
    }
}

/// A held-out text prepared for scoring by a word model: its token ids, its length in
/// characters (spaces and newlines included) and word tokens (newline tokens included), its
/// out-of-vocabulary words, and the spelling bits they pay under `speller` on top of the
/// "<unk>" probability.
public struct HeldOutText: Sendable {
    public var ids: [Int32]
    public var characters: Int
    public var tokens: Int
    public var unknownTokens: Int
    /// The out-of-vocabulary words in text order (so another speller can charge them).
    public var unknownWords: [String]
    /// Letters of the out-of-vocabulary words (end-of-word not counted).
    public var unknownLetters: Int
    public var spellingBits: Double
    public var speller: String

    public init(normalized text: String, table: VectorTable, spelling: some WordSpeller) {
        var ids = [Int32]()
        var unknown = [String]()
        WordTokenizer.forEachToken(in: text) { w in
            if let id = table.index[w] {
                ids.append(id)
            } else {
                ids.append(table.unknownID)
                unknown.append(w)
            }
        }
        self.ids = ids
        characters = text.utf8.count
        tokens = ids.count
        unknownTokens = unknown.count
        unknownWords = unknown
        unknownLetters = unknown.reduce(0) { $0 + $1.utf8.count }
        spellingBits = 0
        speller = ""
        self = spelled(by: spelling)
    }

    /// The same text with its unknown words charged by `speller`.
    public func spelled(by spelling: some WordSpeller) -> HeldOutText {
        var t = self
        t.spellingBits = unknownWords.reduce(0) { $0 + spelling.bits(of: $1) }
        t.speller = spelling.name
        return t
    }

    /// Total bits given the model's summed nats over the tokens.
    public func totalBits(nats: Double) -> Double { nats / Foundation.log(2.0) + spellingBits }

    public func bitsPerCharacter(nats: Double) -> Double { totalBits(nats: nats) / Double(max(characters, 1)) }
}
