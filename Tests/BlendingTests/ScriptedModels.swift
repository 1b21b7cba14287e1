import Blending
import Foundation
import LyricsCore
import Generation

/// A model whose behaviour the tests decide: it writes `letter` until its current line holds
/// `lineLength` tokens, then a newline. It logs the text it reads from the other model.
final class ScriptedModel: TokenModel {
    let kind: ModelKind
    let path: String
    let tokens: [String]
    let newlineToken: Int32 = 0
    let letter: Int32
    let lineLength: Int
    var sinceNewline = 0
    var readText: [String] = []

    init(letter: String, lineLength: Int, kind: ModelKind = .char, path: String = "scripted") {
        self.kind = kind
        self.path = path
        tokens = ["\n", letter]
        self.letter = 1
        self.lineLength = lineLength
    }

    func reset() { sinceNewline = 0; readText = [] }
    func observe(_ token: Int32) { sinceNewline = token == newlineToken ? 0 : sinceNewline + 1 }
    func observe(text: String) {
        readText.append(text)
        for ch in text { if let i = tokens.firstIndex(of: String(ch)) { observe(Int32(i)) } }
    }
    let forbiddenTokens: [Int32] = []
    func encode(_ text: String) -> [Int32] { text.compactMap { c in tokens.firstIndex(of: String(c)).map { Int32($0) } } }
    func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        for i in logits.indices { logits[i] = -.infinity }
        logits[Int(sinceNewline >= lineLength ? newlineToken : letter)] = 0
    }
    func saveState() -> [Float] { [Float(sinceNewline)] }
    func restoreState(_ state: [Float]) { sinceNewline = Int(state[0]) }
}

/// A model with a fixed next-token distribution, whatever it has read.
final class FixedModel: TokenModel {
    let kind: ModelKind = .char
    let path = "fixed"
    let tokens: [String]
    let probabilities: [Double]
    var newlineToken: Int32 { Int32(tokens.firstIndex(of: "\n")!) }

    init(_ pairs: [(String, Double)]) {
        tokens = pairs.map(\.0)
        probabilities = pairs.map(\.1)
    }

    func reset() {}
    func observe(_ token: Int32) {}
    func observe(text: String) {}
    let forbiddenTokens: [Int32] = []
    func encode(_ text: String) -> [Int32] { [] }
    func logits(into logits: UnsafeMutableBufferPointer<Float>) {
        for i in logits.indices { logits[i] = probabilities[i] > 0 ? Float(log(probabilities[i])) : -.infinity }
    }
    func saveState() -> [Float] { [] }
    func restoreState(_ state: [Float]) {}
}
