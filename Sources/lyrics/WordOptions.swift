import ArgumentParser
import Foundation
import LyricsCore
import WordModel

extension WordLoss: ExpressibleByArgument {}

/// The word vectors a word model reads (its vocabulary and input/output space).
struct WordVectorsOption: ParsableArguments {
    static let defaultPath = "vectors/verse-2m.bin"

    @Option(name: .customLong("vectors"), help: "Word vectors from `lyrics vectors train` (.bin or .vec; must contain <unk>; default \(defaultPath)).")
    var pathOption: String?
    var path: String { pathOption ?? Self.defaultPath }
    var given: Bool { pathOption != nil }

    func load() throws -> VectorTable { try VectorTable.load(path) }
}

/// Writes a note line to stderr (results stay on stdout).
func note(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Text the word model is validated on and the spelling model fitted on training words, from
/// the same train/valid texts the char model uses.
struct WordTexts {
    var train: String
    var valid: String
    var spelling: SpellingModel

    init(corpus: Corpus) { self.init(CharTexts(corpus: corpus)) }

    init(_ t: CharTexts) {
        train = t.train
        valid = t.valid
        spelling = SpellingModel(trainingText: t.train)
    }
}
