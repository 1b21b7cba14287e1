import Foundation
import LyricsCore

/// What charges the spelling of a word outside the word model's vocabulary, on top of the model's
/// p(`<unk>` | context), so a word model pays for every character of the text as the char model does.
public protocol WordSpeller: Sendable {
    /// Short name for reports ("unigram", "ngram").
    var name: String { get }
    /// Bits to spell `word` and end it, given that it is outside the vocabulary.
    func bits(of word: String) -> Double
}

extension SpellingModel: WordSpeller {
    public var name: String { "unigram" }
}

/// Which speller scores out-of-vocabulary words (`--speller`).
public enum SpellerKind: String, CaseIterable, Sendable { case unigram, ngram }

/// Which training-split words the n-gram speller is fitted on. `types` is the default: on
/// verse-2m's validation split it charged unknown words the fewest bits (docs/speller.md), since
/// it sees every spelling pattern once and the exclusion rule then removes the vocabulary's own
/// mass; `unknown` is the direct sample of what `<unk>` stands for.
public enum SpellerFit: Equatable, Sendable, CustomStringConvertible {
    /// Training tokens outside the word model's vocabulary (the ones that become `<unk>`).
    case unknown
    /// Training tokens of words seen at most `maxCount` times in the training split
    /// (in-vocabulary ones included; the exclusion rule removes their mass afterwards).
    case rare(maxCount: Int)
    /// Every distinct training word once.
    case types

    /// Parses "unknown", "rare:N" (N ≥ 1) or "types".
    public init?(_ s: String) {
        if s == "unknown" { self = .unknown } else if s == "types" { self = .types } else if s.hasPrefix("rare:"),
            let n = Int(s.dropFirst(5)), n >= 1 { self = .rare(maxCount: n) } else { return nil }
    }

    public var description: String {
        switch self {
        case .unknown: return "unknown"
        case let .rare(n): return "rare:\(n)"
        case .types: return "types"
        }
    }

    /// The fitting words of a normalised training text (each selected token once per occurrence,
    /// except `.types`), in text order so a fit is deterministic.
    public func words(trainingText: String, vocabulary: Set<String>) -> [String] {
        var tokens = [String]()
        WordTokenizer.forEachToken(in: trainingText) { if $0 != WordTokenizer.newline { tokens.append($0) } }
        switch self {
        case .unknown:
            return tokens.filter { !vocabulary.contains($0) }
        case let .rare(n):
            var counts = [String: Int]()
            for t in tokens { counts[t, default: 0] += 1 }
            return tokens.filter { counts[$0]! <= n }
        case .types:
            var seen = Set<String>()
            return tokens.filter { seen.insert($0).inserted }
        }
    }
}

/// The n-gram speller's settings, fitted from the training text and a vocabulary at scoring time
/// (fitting verse-2m's training split takes well under a second).
public struct NGramSpellerConfig: Equatable, Sendable {
    public var order: Int
    public var smoothing: SpellerSmoothing
    public var fit: SpellerFit

    public init(order: Int = 6, smoothing: SpellerSmoothing = .kneserNey, fit: SpellerFit = .types) {
        self.order = order
        self.smoothing = smoothing
        self.fit = fit
    }

    /// Fits on `trainingText` (normalised training split) for a model whose vocabulary is
    /// `words` (`<unk>` and `</s>` are not spellings and are ignored by the exclusion rule, since
    /// their bytes are outside the alphabet).
    public func fit(trainingText: String, vocabulary words: [String]) throws -> NGramSpeller {
        let fitting = fit.words(trainingText: trainingText, vocabulary: Set(words))
        return try NGramSpeller(words: fitting, vocabulary: words, order: order, smoothing: smoothing,
                                fallback: SpellingModel(trainingText: trainingText))
    }
}
