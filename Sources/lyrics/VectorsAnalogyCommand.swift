import ArgumentParser
import Foundation
import LyricsCore
import WordVectors

/// `lyrics vectors analogy a b c`: "a is to b as c is to ?" by 3CosAdd, inputs excluded.
struct VectorsAnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogy",
        abstract: "Solve a : b :: c : ? by 3CosAdd (nearest to b - a + c, inputs excluded)."
    )

    @OptionGroup var file: VectorsFileOptions
    @OptionGroup var output: JSONOutputOptions
    @Option(name: .short, help: "Answers to list.") var n = 5
    @Argument(help: "a") var a: String
    @Argument(help: "b") var b: String
    @Argument(help: "c") var c: String

    func validate() throws {
        guard n >= 1 else { throw ValidationError("-n: must be at least 1") }
    }

    struct Answer: Codable { var a: String; var b: String; var c: String; var answers: [ScoredWord] }

    func run() throws {
        let e = try file.load()
        let (la, lb, lc) = (a.lowercased(), b.lowercased(), c.lowercased())
        let limit = file.restrictVocab
        guard let res = e.analogy(la, lb, lc, n: n, restrictVocab: limit) else {
            let missing = [la, lb, lc].filter { w in e.index[w].map { i in Int(i) >= (limit ?? Int.max) } ?? true }
            throw LyricsError(file: file.path, "not in vocabulary: \(missing.joined(separator: ", "))")
        }
        let answer = Answer(a: la, b: lb, c: lc, answers: res.map { ScoredWord(word: $0.word, cosine: $0.cosine) })
        if output.json { return try output.emit(answer) }
        print("\(la) : \(lb) :: \(lc) : ?")
        for s in answer.answers { print("  " + pad(s.word, 20) + String(format: " %.4f", s.cosine)) }
    }
}
