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
    func distribution(into p: inout [Double]) {
        for i in p.indices { p[i] = 0 }
        p[Int(sinceNewline >= lineLength ? newlineToken : letter)] = 1
    }
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
    func distribution(into p: inout [Double]) { p = probabilities }
}
