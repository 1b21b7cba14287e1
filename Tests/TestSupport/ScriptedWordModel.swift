import Foundation
import Generation
import LyricsCore

/// A word-level model over a small vocabulary: every word equally likely, the line end unlikely
/// before four words and likely after, so lines vary and end on their own.
public final class ScriptedWordModel: TokenModel {
    public let kind = ModelKind.word
    public let path = "scripted-words"
    public let tokens: [String]
    public let newlineToken: Int32 = 0
    public let forbiddenTokens: [Int32]
    private var wordsInLine: Float = 0
    private var last: Int32 = 0
    /// Every token read since the last reset (state restores do not rewind it).
    public private(set) var read: [Int32] = []

    public init(words: [String]) {
        tokens = ["\n", "<unk>"] + words
        forbiddenTokens = [1]
    }

    public func reset() { wordsInLine = 0; last = 0; read = [] }
    public func observe(_ token: Int32) { wordsInLine = token == 0 ? 0 : wordsInLine + 1; last = token; read.append(token) }
    public func encode(_ text: String) -> [Int32] {
        var ids = [Int32]()
        WordTokenizer.forEachToken(in: text) { t in ids.append(t == "</s>" ? 0 : Int32(tokens.firstIndex(of: t) ?? 1)) }
        return ids
    }
    public func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<logits.count { logits[i] = Float((i * 7 + Int(last) * 3) % 5) * 0.1 }
        logits[0] = wordsInLine < 4 ? -3 : 1
    }
    public func saveState() -> [Float] { [wordsInLine, Float(last)] }
    public func restoreState(_ state: [Float]) { wordsInLine = state[0]; last = Int32(state[1]) }
}
