import Foundation
import LyricsCore

/// Which family of model a checkpoint holds. Blending needs both models of one kind: a char
/// model and a word model do not predict the same units.
public enum ModelKind: String, Codable, Sendable { case char, word }

/// What every model gives the generation stack: start fresh, read tokens, and score every token
/// of its vocabulary as the next one. Char models (LSTM/GRU), word models (vMF and cosine) and a
/// blend of two all conform, so one sampler and one generation loop serve them all.
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
    /// Tokens that are never written (a word model's "<unk>").
    var forbiddenTokens: [Int32] { get }
    /// Forgets everything read so far and reads a newline, so the next token starts a line
    /// (as the models were trained).
    func reset()
    /// Reads one token of its own vocabulary.
    func observe(_ token: Int32)
    /// Reads normalised text (by default token by token through `encode`).
    func observe(text: String)
    /// Normalised text as token ids: characters outside the vocabulary are skipped (chars),
    /// unknown words become "<unk>" (words).
    func encode(_ text: String) -> [Int32]
    /// Scores of every token as the next one (after everything observed): log-probabilities up
    /// to a constant, so softmax(logits) is the model's distribution. `logits` has
    /// `tokens.count` entries.
    func logits(into logits: UnsafeMutableBufferPointer<Float>)
    /// The recurrent state, to try several continuations from one point (candidate lines).
    func saveState() -> [Float]
    func restoreState(_ state: [Float])
    /// Top-k when a request gives none (word models: the notebook's 10 nearest words, or all
    /// words for a calibrated rule; char models: all characters).
    var defaultTopK: Int? { get }
}

extension TokenModel {
    public var defaultTopK: Int? { kind == .word ? 10 : nil }

    /// Reads normalised text.
    public func observe(text: String) {
        for id in encode(text) { observe(id) }
    }

    /// The model's next-token distribution into `p` (sums to 1; forbidden tokens get 0).
    public func distribution(into p: inout [Double]) {
        var scores = [Float](repeating: 0, count: tokens.count)
        scores.withUnsafeMutableBufferPointer { logits(into: $0) }
        for t in forbiddenTokens where Int(t) < scores.count { scores[Int(t)] = -.infinity }
        Sampler.softmax(scores, into: &p)
    }
}

public enum TokenText {
    /// What a token adds to running text that ends in `last`: chars concatenate; words are
    /// separated by one space except at the start of a line.
    public static func spelling(_ s: String, kind: ModelKind, after last: Character?) -> String {
        if kind == .word, s != "\n", let last, last != "\n" { return " " + s }
        return s
    }
}
