import Foundation
import LyricsCore

/// Which family of model a checkpoint holds. Blending needs both models of one kind: a char
/// model and a word model do not predict the same units.
public enum ModelKind: String, Codable, Sendable { case char, word }

/// The small surface blending needs from a language model: start fresh, read text, and say how
/// likely each of its tokens is next. Char models and word models both conform, so `Blender`
/// never needs to know which one it drives.
///
/// Token spellings: a char model's tokens are its single characters; a word model's are its
/// words, with the newline token spelt "\n" so both kinds end lines the same way.
public protocol TokenModel: AnyObject {
    var kind: ModelKind { get }
    /// The file the model came from (for messages).
    var path: String { get }
    /// Spelling of every token id.
    var tokens: [String] { get }
    /// The id of "\n".
    var newlineToken: Int32 { get }
    /// Forgets everything read so far and reads a newline, so the next token starts a line
    /// (as the models were trained and as `CharGenerator` primes).
    func reset()
    /// Reads one token of its own vocabulary.
    func observe(_ token: Int32)
    /// Reads normalised text; units outside the vocabulary are skipped (chars) or read as
    /// "<unk>" (words).
    func observe(text: String)
    /// Probabilities of the next token (after everything observed) into `p`, which has
    /// `tokens.count` entries and sums to 1.
    func distribution(into p: inout [Double])
}

public enum TokenText {
    /// What a token adds to running text that ends in `last`: chars concatenate; words are
    /// separated by one space except at the start of a line.
    public static func spelling(_ s: String, kind: ModelKind, after last: Character?) -> String {
        if kind == .word, s != "\n", let last, last != "\n" { return " " + s }
        return s
    }
}

/// Softmax of `logits` into `p` (Double, max-shifted); `mask` entries set to false get 0.
public func softmax(_ logits: UnsafePointer<Float>, count: Int, scale: Double = 1, excluding excluded: Int32? = nil,
             into p: inout [Double]) {
    var m = -Double.infinity
    for j in 0..<count where Int32(j) != excluded { m = max(m, scale * Double(logits[j])) }
    var sum = 0.0
    for j in 0..<count {
        if Int32(j) == excluded { p[j] = 0; continue }
        let e = Foundation.exp(scale * Double(logits[j]) - m)
        p[j] = e
        sum += e
    }
    let inv = 1 / sum
    for j in 0..<count { p[j] *= inv }
}
