import Foundation
import LyricsCore
import WordVectors

/// Turns a vector file someone brings (gensim, word2vec.c, fastText, GloVe) into the word model's
/// vocabulary while it streams in, one row at a time, so a 1M-word file is read once and only the
/// kept rows are stored:
/// - every word goes through the tool's normalisation (`TextNormalizer`), because the corpus does
///   and a word the corpus can never produce is useless; a word that normalises to nothing or to
///   several words is dropped, and so are other tools' markup tokens ("<s>", "<pad>", …);
/// - when several words normalise to one ("The", "the", "thé") the first in the file wins: these
///   files list words most frequent first;
/// - "</s>" (the line token; word2vec.c and fastText files have it first) and "<unk>" are kept as
///   they are. A file without "<unk>" gets one: the mean of the rarest 1% of its kept word vectors
///   (at least one), rescaled to the mean length of those vectors, so it sits where rare words sit
///   and is as long as they are (unit length for a unit-normalised file). A file without "</s>"
///   gets a fixed pseudo-random direction (seeded, the same on every load), scaled to the mean
///   length of all kept vectors: nearly orthogonal to every word, so predicting a line break is
///   never confused with predicting a word. Added rows go last, "</s>" before "<unk>".
/// A file already in the tool's form (our `lyrics vectors train` output) comes through unchanged.
struct VectorImport {
    let file: String
    private var kept = VectorRows()
    private(set) var index = [String: Int32]()
    private(set) var rows = 0
    private(set) var dropped = 0
    private(set) var merged = 0

    static let rareShare = 0.01
    static let newlineSeed: UInt64 = 0x3C2F_733E

    init(file: String) { self.file = file }

    var words: [String] { kept.words }
    var vectors: [Float] { kept.vectors }
    var dimension: Int { kept.dimension }

    mutating func begin(_ layout: VectorFileLayout) {
        kept.begin(layout)
        index.reserveCapacity(layout.count ?? 0)
    }

    mutating func add(_ word: String, _ values: UnsafeBufferPointer<Float>) {
        rows += 1
        let key: String
        if word == WordTokenizer.newline || word == Vocabulary.unknown {
            key = word
        } else if let normal = Self.normalWord(word) {
            key = normal
        } else {
            dropped += 1
            return
        }
        guard index[key] == nil else { merged += 1; return }
        index[key] = Int32(words.count)
        kept.append(key, values)
    }

    /// The single normalised word `word` stands for, or nil (nothing, several words, a markup
    /// token). Words already in normal form, nearly all of them, skip the normaliser.
    static func normalWord(_ word: String) -> String? {
        var plain = true
        for b in word.utf8 where !(b >= 0x61 && b <= 0x7A) && b != 0x27 { plain = false; break }
        if plain { return word.isEmpty ? nil : word }
        if word.hasPrefix("<") && word.hasSuffix(">") { return nil }
        var normal = TextNormalizer.normalize(word)
        if normal.hasSuffix("\n") { normal.removeLast() }
        guard !normal.isEmpty, !normal.utf8.contains(0x20), !normal.utf8.contains(0x0A) else { return nil }
        return normal
    }

    /// The table, with "</s>" and "<unk>" added when the file lacks them.
    mutating func table() throws -> VectorTable {
        let wordRows = words.count - (index[WordTokenizer.newline] == nil ? 0 : 1) - (index[Vocabulary.unknown] == nil ? 0 : 1)
        guard wordRows > 0 else {
            throw LyricsError(file: file, "no word of its \(rows) vectors is a word after normalisation (lowercase a-z and apostrophes)")
        }
        var added = [String]()
        if index[WordTokenizer.newline] == nil {
            append(WordTokenizer.newline, newlineVector())
            added.append("\(WordTokenizer.newline) (a fixed random direction)")
        }
        if index[Vocabulary.unknown] == nil {
            append(Vocabulary.unknown, unknownVector())
            added.append("\(Vocabulary.unknown) (mean of the rarest 1%)")
        }
        var summary: String?
        if dropped > 0 || merged > 0 || !added.isEmpty {
            var parts = ["\(rows) vectors → \(words.count) words"]
            if dropped > 0 { parts.append("\(dropped) dropped (not one word after normalisation)") }
            if merged > 0 { parts.append("\(merged) merged into an earlier word with the same normal form") }
            if !added.isEmpty { parts.append("added " + added.joined(separator: " and ")) }
            summary = parts.joined(separator: ", ")
        }
        return VectorTable(words: words, vectors: vectors, dimension: dimension, path: file, importSummary: summary)
    }

    private mutating func append(_ word: String, _ v: [Float]) {
        index[word] = Int32(words.count)
        v.withUnsafeBufferPointer { kept.append(word, $0) }
    }

    /// Rows of kept words (not "</s>" or "<unk>"), in file order.
    private var wordRowIDs: [Int] {
        let special = Set([index[WordTokenizer.newline], index[Vocabulary.unknown]].compactMap { $0.map(Int.init) })
        return (0..<words.count).filter { !special.contains($0) }
    }

    private func length(ofRow r: Int) -> Float {
        vectors.withUnsafeBufferPointer { BLAS.norm(dimension, $0.baseAddress! + r * dimension) }
    }

    func unknownVector() -> [Float] {
        let ids = wordRowIDs
        let rare = ids.suffix(max(1, Int((Double(ids.count) * Self.rareShare).rounded(.up))))
        var mean = [Float](repeating: 0, count: dimension)
        var meanLength: Float = 0
        let vectors = self.vectors
        for r in rare {
            for k in 0..<dimension { mean[k] += vectors[r * dimension + k] }
            meanLength += length(ofRow: r)
        }
        meanLength /= Float(rare.count)
        return Self.scaled(mean, to: meanLength)
    }

    func newlineVector() -> [Float] {
        let ids = wordRowIDs
        let meanLength = ids.reduce(Float(0)) { $0 + length(ofRow: $1) } / Float(max(ids.count, 1))
        var rng = SeededRandom(seed: Self.newlineSeed)
        return Self.scaled((0..<dimension).map { _ in rng.nextGaussian() }, to: meanLength)
    }

    /// `v` rescaled to length `target` (a zero vector stays zero).
    static func scaled(_ v: [Float], to target: Float) -> [Float] {
        let n = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return n > 0 ? v.map { $0 * target / n } : v
    }
}
