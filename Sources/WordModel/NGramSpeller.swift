import Foundation
import LyricsCore

/// How an n-gram speller mixes its orders (both interpolate down to a uniform distribution over
/// the symbols, so every spelling over the alphabet has probability > 0).
public enum SpellerSmoothing: String, Codable, CaseIterable, Sendable {
    /// Interpolated Kneser-Ney: one absolute discount per order, D = n1 / (n1 + 2 n2) from that
    /// order's count-of-counts; lower orders count distinct left contexts (continuation counts),
    /// except contexts at the start of a word (padding only ever follows padding there), which
    /// keep raw counts.
    case kneserNey = "kn"
    /// Witten-Bell: raw counts at every order, the back-off weight T(h) / (c(h) + T(h)).
    case wittenBell = "wb"
}

/// A character n-gram model of how out-of-vocabulary words are spelt: symbols are the letters
/// of `alphabet` plus an end-of-word symbol, each predicted from the previous `order − 1`
/// symbols with the word's start padded by a begin-of-word symbol. Fitted on a list of training
/// words (see `SpellerFit`); `probability(of:)` is a proper distribution over finite spellings
/// (every context gives end-of-word a probability ≥ its share of the uniform floor, so the
/// probability of never ending is 0 and the spellings' probabilities sum to 1).
///
/// **The exclusion rule**: a word model pays p(`<unk>` | context) × p(spelling | `<unk>`) for a word
/// outside its vocabulary, and `<unk>` can only stand for a word outside the vocabulary, so the
/// speller gives no mass to in-vocabulary spellings (nor to the empty spelling):
/// p(w | `<unk>`) = p_ngram(w) / Z with Z = 1 − Σ_{v in vocabulary} p_ngram(v) − p_ngram(""),
/// computed exactly by summing over the vocabulary's spellings. Over the out-of-vocabulary
/// spellings it sums to exactly 1 (up to rounding); `bits(of:)` of an in-vocabulary word is ∞.
/// Words with a byte outside the alphabet (normalised text has none) are charged `fallback`, the
/// character unigram model (8 bits for a byte it has not seen), and never skipped.
public final class NGramSpeller: WordSpeller, @unchecked Sendable {
    public let order: Int
    public let smoothing: SpellerSmoothing
    public let alphabet: [UInt8]
    /// Log2 of Z, the mass the n-gram model leaves to out-of-vocabulary, non-empty spellings.
    public private(set) var log2OutOfVocabularyMass = 0.0
    public let fallback: SpellingModel
    /// How many fitting words were counted (those with bytes outside the alphabet are not).
    public private(set) var fittedWords = 0
    public var name: String { "ngram" }

    /// Symbol ids: 0..<alphabet.count letters, `end` = end of word, `begin` = padding.
    let symbolOf: [Int16]
    let end: Int
    let begin: Int
    let base: Int
    let orders: [ContextTable]
    let discounts: [Double]
    let vocabulary: Set<String>

    /// Per context length k (0..<order): context key → row; rows of `end + 1` counts (raw or
    /// continuation), with their sum and number of non-zero entries.
    struct ContextTable {
        var rows: [Int: Int] = [:]
        var counts: [Double] = []
        var totals: [Double] = []
        var types: [Double] = []
    }

    /// Fits on `words` (each occurrence counts; words with bytes outside the alphabet are left
    /// out) and excludes `vocabulary`'s spellings. `discount` overrides Kneser-Ney's estimate
    /// (for tests). Throws when nothing is left to out-of-vocabulary spellings.
    public init(words: [String], vocabulary: [String], order: Int = 6, smoothing: SpellerSmoothing = .kneserNey,
                alphabet: [UInt8] = SpellingModel.alphabet, fallback: SpellingModel, discount: Double? = nil) throws {
        precondition((1...10).contains(order), "order must be in 1...10")
        precondition(!alphabet.isEmpty && Set(alphabet).count == alphabet.count)
        self.order = order
        self.smoothing = smoothing
        self.alphabet = alphabet
        self.fallback = fallback
        var sym = [Int16](repeating: -1, count: 256)
        for (i, b) in alphabet.enumerated() { sym[Int(b)] = Int16(i) }
        symbolOf = sym
        end = alphabet.count
        begin = alphabet.count + 1
        base = alphabet.count + 3
        let width = end + 1
        let bse = base

        // Raw counts of every context length.
        var tables = [ContextTable](repeating: ContextTable(), count: order)
        func add(_ t: inout ContextTable, key: Int, symbol: Int, by v: Double) {
            let row: Int
            if let r = t.rows[key] { row = r } else {
                row = t.totals.count
                t.rows[key] = row
                t.counts += [Double](repeating: 0, count: width)
                t.totals.append(0)
                t.types.append(0)
            }
            if t.counts[row * width + symbol] == 0 { t.types[row] += 1 }
            t.counts[row * width + symbol] += v
            t.totals[row] += v
        }
        var symbols = [Int]()
        var fitted = 0
        for w in words {
            guard Self.encode(w, symbolOf: sym, end: alphabet.count, into: &symbols) else { continue }
            fitted += 1
            var history = [Int](repeating: alphabet.count + 1, count: order - 1)
            for s in symbols {
                var key = 0, scale = 1
                for k in 0..<order {
                    add(&tables[k], key: key, symbol: s, by: 1)
                    if k < order - 1 {
                        key += (history[history.count - 1 - k] + 1) * scale
                        scale *= bse
                    }
                }
                if order > 1 { history.removeFirst(); history.append(s) }
            }
        }

        // Kneser-Ney: lower orders count distinct left extensions instead, unless the context
        // starts with padding.
        if smoothing == .kneserNey {
            var scale = 1
            for k in 0..<(order - 1) {
                let higher = tables[k + 1]
                var cont = ContextTable()
                // Keep raw rows of contexts that start with padding (their oldest symbol is `begin`).
                for (key, row) in tables[k].rows where k > 0 && key / (scale / bse) == begin + 1 {
                    for s in 0..<width where tables[k].counts[row * width + s] > 0 {
                        add(&cont, key: key, symbol: s, by: tables[k].counts[row * width + s])
                    }
                }
                for (key, row) in higher.rows {
                    let shorter = key % scale
                    if k > 0 && shorter / (scale / bse) == begin + 1 { continue }
                    for s in 0..<width where higher.counts[row * width + s] > 0 { add(&cont, key: shorter, symbol: s, by: 1) }
                }
                tables[k] = cont
                scale *= bse
            }
        }
        orders = tables
        fittedWords = fitted
        discounts = tables.map { t in
            if let discount { return discount }
            var n1 = 0.0, n2 = 0.0
            for c in t.counts { if c == 1 { n1 += 1 } else if c == 2 { n2 += 1 } }
            let d = n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5
            return min(max(d, 0.05), 0.95)
        }
        self.vocabulary = Set(vocabulary)

        var inVocabulary = 0.0
        for v in Set(vocabulary) {
            if let p = rawProbability(of: v) { inVocabulary += p }
        }
        let z = 1 - inVocabulary - (rawProbability(of: "") ?? 0)
        guard z > 1e-12 else {
            throw LyricsError(file: "speller", "the vocabulary's spellings take all of the n-gram speller's mass (1 − \(inVocabulary)); nothing is left for unknown words")
        }
        log2OutOfVocabularyMass = log2(z)
    }

    /// Symbols of `word` followed by end-of-word; false when a byte is outside the alphabet.
    static func encode(_ word: String, symbolOf: [Int16], end: Int, into out: inout [Int]) -> Bool {
        out.removeAll(keepingCapacity: true)
        for b in word.utf8 {
            let s = symbolOf[Int(b)]
            guard s >= 0 else { return false }
            out.append(Int(s))
        }
        out.append(end)
        return true
    }

    /// p(symbol | history), `history` holding at least `order − 1` symbols (padding included),
    /// newest last. Interpolates from the uniform distribution up through every seen context.
    func conditional(_ symbol: Int, history: UnsafeBufferPointer<Int>) -> Double {
        let width = end + 1
        var p = 1 / Double(width)
        var key = 0, scale = 1
        for k in 0..<order {
            if k > 0 {
                key += (history[history.count - k] + 1) * scale
                scale *= base
            }
            let t = orders[k]
            guard let row = t.rows[key] else { break }
            let c = t.counts[row * width + symbol], total = t.totals[row], types = t.types[row]
            switch smoothing {
            case .kneserNey:
                let d = discounts[k]
                p = (max(c - d, 0) + d * types * p) / total
            case .wittenBell:
                p = (c + types * p) / (total + types)
            }
        }
        return p
    }

    /// The n-gram model's probability of `word` (before the exclusion rule), or nil when a byte
    /// is outside the alphabet.
    public func rawProbability(of word: String) -> Double? {
        var symbols = [Int]()
        guard Self.encode(word, symbolOf: symbolOf, end: end, into: &symbols) else { return nil }
        let history = [Int](repeating: begin, count: order - 1) + symbols
        var p = 1.0
        history.withUnsafeBufferPointer { h in
            for (i, s) in symbols.enumerated() {
                p *= conditional(s, history: UnsafeBufferPointer(rebasing: h[i..<(i + order - 1)]))
            }
        }
        return p
    }

    /// Bits of an out-of-vocabulary word: −log2(p_ngram(w) / Z); in-vocabulary and empty
    /// spellings have probability 0 (∞ bits); a word with a byte outside the alphabet pays the
    /// unigram fallback.
    public func bits(of word: String) -> Double {
        guard let p = rawProbability(of: word) else { return fallback.bits(of: word) }
        if word.isEmpty || vocabulary.contains(word) { return .infinity }
        return log2OutOfVocabularyMass - log2(p)  // −log2(p / Z)
    }

    /// Draws an out-of-vocabulary spelling from p(w | `<unk>`): spells symbol by symbol until
    /// end-of-word and draws again when the result is empty or in the vocabulary (rejection
    /// sampling gives exactly the renormalised distribution). Spellings longer than 40 letters
    /// are also drawn again, a cut that removes a negligible tail of the distribution.
    public func sampleSpelling<R: RandomNumberGenerator>(random: inout R) -> String {
        let width = end + 1
        var probs = [Double](repeating: 0, count: width)
        for _ in 0..<10_000 {
            var history = [Int](repeating: begin, count: order - 1)
            var bytes = [UInt8]()
            while bytes.count <= 40 {
                history.withUnsafeBufferPointer { h in
                    let ctx = UnsafeBufferPointer(rebasing: h[(h.count - (order - 1))...])
                    for s in 0..<width { probs[s] = conditional(s, history: ctx) }
                }
                var u = Double.random(in: 0..<1, using: &random) * probs.reduce(0, +)
                var s = 0
                while s < width - 1 && u >= probs[s] { u -= probs[s]; s += 1 }
                if s == end { break }
                bytes.append(alphabet[s])
                history.append(s)
            }
            let w = String(decoding: bytes, as: UTF8.self)
            if bytes.count <= 40, !w.isEmpty, !vocabulary.contains(w) { return w }
        }
        return String(decoding: [alphabet[0]], as: UTF8.self)
    }
}
