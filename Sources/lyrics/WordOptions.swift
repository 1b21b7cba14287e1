import ArgumentParser
import Foundation
import LyricsCore
import WordModel

extension WordLoss: ExpressibleByArgument {}

/// The word vectors a word model reads (its vocabulary and input/output space).
struct WordVectorsOption: ParsableArguments {
    static let defaultPath = "vectors/verse-2m.bin"

    @Option(name: .customLong("vectors"), help: "Word vectors from `lyrics vectors train` (ours, word2vec/gensim text or binary, fastText .vec or GloVe text; words are normalised, <unk> and </s> added when missing; default \(defaultPath)).")
    var pathOption: String?
    var path: String { pathOption ?? BundledData.path(Self.defaultPath) }
    var given: Bool { pathOption != nil }

    /// The table, with a note on stderr when loading changed a foreign file's words.
    func load(quiet: Bool = false) throws -> VectorTable {
        let table = try VectorTable.load(path)
        if let summary = table.importSummary, !quiet { note("\(path): \(summary)") }
        return table
    }
}

/// Writes a note line to stderr (results stay on stdout).
/// A progress note on stderr (from rank 0 alone in a distributed run).
func note(_ s: String) { if Distributed.joined.isRoot { FileHandle.standardError.write(Data((s + "\n").utf8)) } }

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
