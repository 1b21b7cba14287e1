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
    /// `count` streams of this model for candidate lines (by default `SequentialStreams`;
    /// word and char models step them as one batch).
    func makeStreams(_ count: Int) -> TokenStreams
}

extension TokenModel {
    public var defaultTopK: Int? { kind == .word ? 10 : nil }

    public func makeStreams(_ count: Int) -> TokenStreams { SequentialStreams(model: self, count: count) }

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

/// Several copies of one model's state stepped together, for candidate lines drawn as a batch:
/// a model that implements it natively makes one matrix product per step for all streams
/// instead of one per stream. Every stream starts from a state the one-stream model saved, and
/// hands its state back in the same layout, so the model writes on from the chosen candidate.
public protocol TokenStreams: AnyObject {
    /// How many streams.
    var count: Int { get }
    /// Every stream at `state` (a `saveState()` of the model these streams belong to).
    func start(from state: [Float])
    /// Reads one token per stream (`tokens.count == count`).
    func observe(_ tokens: [Int32])
    /// Scores of every stream, row s at `logits[s * vocabulary ..< (s + 1) * vocabulary]`, as
    /// `TokenModel.logits` gives them for one stream.
    func logits(into logits: UnsafeMutableBufferPointer<Float>)
    /// Stream `stream`'s state as the model's `saveState()` gives it.
    func state(of stream: Int) -> [Float]
}

/// Any model's streams, one after another through save and restore: what a model without a
/// batched form (a blend) gives the candidate writer. The model's own state is left at the last
/// stream touched; callers restore it.
public final class SequentialStreams: TokenStreams {
    public let model: TokenModel
    private var states: [[Float]]

    public init(model: TokenModel, count: Int) {
        self.model = model
        states = Array(repeating: [], count: count)
    }

    public var count: Int { states.count }

    public func start(from state: [Float]) {
        for s in states.indices { states[s] = state }
    }

    public func observe(_ tokens: [Int32]) {
        precondition(tokens.count == count)
        for s in states.indices {
            model.restoreState(states[s])
            model.observe(tokens[s])
            states[s] = model.saveState()
        }
    }

    public func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        let V = model.tokens.count
        precondition(logits.count == V * count)
        for s in states.indices {
            model.restoreState(states[s])
            model.logits(into: UnsafeMutableBufferPointer(rebasing: logits[(s * V)..<((s + 1) * V)]))
        }
    }

    public func state(of stream: Int) -> [Float] { states[stream] }
}
