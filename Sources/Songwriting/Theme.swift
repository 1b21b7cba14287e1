import Foundation
import LyricsCore

/// What a song is about: the words near its theme words in word-vector space (Hafez drew its
/// topic words from word2vec neighbours the same way), each with a weight in (0, 1] (its cosine
/// similarity to the nearest theme word; the theme words themselves 1). While a line is
/// sampled, a word's logit is raised by `strength × weight`: the theme tilts the model's choice
/// among words it already gives probability, and never forces a word it gives none (a logit of
/// −infinity stays there). Line ends are raised `endStrength × weight`, so rhyme words come
/// from the theme where the model allows it. The writer's score stays the model's own.
public struct Theme: Equatable, Sendable {
    /// The theme as given ("sea storm").
    public let text: String
    public let weights: [String: Float]
    public var strength: Float
    public var endStrength: Float

    public static let defaultStrength: Float = 1.5, defaultEndStrength: Float = 3

    public init(text: String, weights: [String: Float], strength: Float = Theme.defaultStrength,
                endStrength: Float = Theme.defaultEndStrength) {
        self.text = text
        self.weights = weights
        self.strength = strength
        self.endStrength = endStrength
    }

    /// The bonus of `word` inside a line.
    public func bonus(_ word: String) -> Float { weights[word].map { strength * $0 } ?? 0 }

    /// The bonus of `word` at a line's end.
    public func endBonus(_ word: String) -> Float { weights[word].map { endStrength * $0 } ?? 0 }

    /// How much of `words` is on the theme: the weights of its distinct theme words over its
    /// length (0 when none is). A theme word said twice counts once: the choice must not prefer
    /// "that cometh to night in the night" for saying "night" twice.
    public func share(_ words: [String]) -> Double {
        guard !words.isEmpty else { return 0 }
        return Set(words).reduce(0.0) { $0 + Double(weights[$1] ?? 0) } / Double(words.count)
    }

    /// The theme's words as the user gives them: letters and apostrophes, lower case, split at
    /// spaces and commas. Throws `theme: ...` when nothing is left.
    public static func words(of text: String) throws -> [String] {
        let w = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\t" })
            .map { String($0.filter { $0.isLetter || $0 == "'" }) }.filter { !$0.isEmpty }
        guard !w.isEmpty else { throw LyricsError("theme: give one or more words, e.g. \"sea storm\"") }
        guard w.count <= 16 else { throw LyricsError("theme: at most 16 words (\(w.count) given)") }
        return w
    }
}
