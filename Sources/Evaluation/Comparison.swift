import Foundation
import LyricsCore
import CharModel
import NeuralNet
import WordModel

/// One row of the comparison table. Every model is charged the total bits of the same
/// normalised text; the denominators are shared: characters (spaces and newlines included) for
/// bits per character, word tokens (newline tokens included) for word perplexity.
public struct ModelScore: Codable, Equatable, Sendable {
    public var name: String
    public var kind: String
    public var totalBits: Double
    public var characters: Int
    public var wordTokens: Int
    public var bitsPerCharacter: Double
    public var characterPerplexity: Double
    public var wordPerplexity: Double
    /// Share of word tokens whose word is among the model's 10 best-scored (word models only).
    public var top10HitRate: Double?
    /// Tokens outside the word model's vocabulary (they pay "<unk>" plus their spelling).
    public var unknownTokens: Int?
    /// The cosine model's fitted concentration.
    public var kappa: Double?
    /// Part of `bitsPerCharacter` spent spelling out-of-vocabulary words (word models only).
    public var spellingBitsPerCharacter: Double?
    /// Word models: which speller charged the spellings ("unigram", "ngram"), and the rest of
    /// `bitsPerCharacter` split by target: in-vocabulary words, `</s>`, and the p(`<unk>`) part
    /// of unknown words (with `spellingBitsPerCharacter` these four add up to it).
    public var speller: String?
    public var inVocabularyBitsPerCharacter: Double?
    public var newlineBitsPerCharacter: Double?
    public var unknownBitsPerCharacter: Double?
    /// Spelling bits per letter of the out-of-vocabulary words (their end-of-word included in
    /// the bits, not in the letters).
    public var spellingBitsPerLetter: Double?
    /// Word models: top-10 hits, distinct candidates and bits per character under each retrieval
    /// rule the model has, and the unigram baseline's (`Comparison.retrieval`).
    public var retrieval: [RuleScore]?
    /// Quality of the model's samples (`SampleWriting`), after the same figures of the real
    /// held-out lines (`source` "held-out") they are measured against.
    public var samples: [SampleQuality]?

    public init(name: String, kind: String, totalBits: Double, characters: Int, wordTokens: Int,
                top10HitRate: Double? = nil, unknownTokens: Int? = nil, kappa: Double? = nil, spellingBits: Double? = nil) {
        self.name = name
        self.kind = kind
        self.totalBits = totalBits
        self.characters = characters
        self.wordTokens = wordTokens
        bitsPerCharacter = totalBits / Double(max(characters, 1))
        characterPerplexity = Foundation.pow(2, bitsPerCharacter)
        wordPerplexity = Foundation.pow(2, totalBits / Double(max(wordTokens, 1)))
        self.top10HitRate = top10HitRate
        self.unknownTokens = unknownTokens
        self.kappa = kappa
        spellingBitsPerCharacter = spellingBits.map { $0 / Double(max(characters, 1)) }
    }
}

/// Scores char and word models on one held-out text with the shared accounting above.
public enum Comparison {
    /// Word tokens of a normalised text, newline tokens included.
    public static func wordTokenCount(_ normalized: String) -> Int {
        var n = 0
        WordTokenizer.forEachToken(in: normalized) { _ in n += 1 }
        return n
    }

    /// A word model (any batch) on a prepared text: every token's probability under the
    /// full-vocabulary softmax, out-of-vocabulary words paying "<unk>" plus their spelling.
    /// The row is labelled by the model alone (no speller name), as before spellers were compared.
    public static func score(word model: WordModel, text: HeldOutText, name: String) -> ModelScore {
        var s = score(word: model, text: text, name: name, spellers: [])[0]
        s.speller = nil
        return s
    }

    /// Scores the tokens once and makes one row per speller (none: `text`'s own spelling bits),
    /// each with the breakdown of its bits.
    public static func score(word model: WordModel, text: HeldOutText, name: String, spellers: [any WordSpeller]) -> [ModelScore] {
        let st = model.score(text.ids)
        let texts = spellers.isEmpty ? [text] : spellers.map { text.spelled(by: $0) }
        let chars = Double(max(text.characters, 1)), ln2 = Foundation.log(2.0)
        return texts.map { t in
            var s = ModelScore(name: name, kind: "word-\(model.config.loss.rawValue)", totalBits: t.totalBits(nats: st.nats),
                               characters: t.characters, wordTokens: t.tokens,
                               top10HitRate: Double(st.hits) / Double(max(st.count, 1)), unknownTokens: t.unknownTokens,
                               kappa: model.config.loss == .cosine ? Double(model.kappa) : nil, spellingBits: t.spellingBits)
            s.speller = t.speller
            s.inVocabularyBitsPerCharacter = (st.nats - st.unknownNats - st.newlineNats) / ln2 / chars
            s.newlineBitsPerCharacter = st.newlineNats / ln2 / chars
            s.unknownBitsPerCharacter = st.unknownNats / ln2 / chars
            s.spellingBitsPerLetter = t.unknownLetters > 0 ? t.spellingBits / Double(t.unknownLetters) : nil
            return s
        }
    }

    /// A char model on the same normalised text: bits of every character, the first predicted
    /// from a newline. Characters outside its vocabulary cannot be scored; they are reported in
    /// `skipped` and charged 8 bits each so no model gets them free.
    public static func score(char model: CharModel, text normalized: String, name: String) -> (score: ModelScore, skipped: Int) {
        let (ids, skipped) = model.vocabulary.encode(normalized)
        let r = model.bitsPerCharacter(ids)
        let total = r.bits * Double(r.count) + 8 * Double(skipped)
        return (ModelScore(name: name, kind: "char", totalBits: total, characters: normalized.utf8.count,
                           wordTokens: wordTokenCount(normalized)), skipped)
    }
}
