import ArgumentParser
import Foundation
import LyricsCore
import NeuralNet
import CharModel
import NeuralNet

extension CellKind: ExpressibleByArgument {}

/// Options every command that reads a corpus shares: which text to read, the validation text
/// for training, and how many BLAS threads. Optional underneath, so a resumed run can tell that
/// none was given (it reads them from its checkpoint).
struct CharCorpusOptions: ParsableArguments {
    @OptionGroup var source: CorpusOptions

    @Option(name: .long, help: "Validation corpus for training, read like --corpus (then all of --corpus is training text; default: the corpus's valid part).")
    var valid: String?

    @Option(name: .customLong("threads"), help: "BLAS threads (1 gives bitwise-reproducible runs; default: all cores).")
    var threadsOption: Int?
    var threads: Int { threadsOption ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        if let t = threadsOption, t < 1 { throw ValidationError("--threads: must be at least 1") }
    }

    /// The data flags that were given (a resumed run refuses them).
    var givenFlags: [String] {
        source.givenFlags + [("--valid", valid != nil), ("--threads", threadsOption != nil)].filter(\.1).map(\.0)
    }

    /// What a new run reads, for its checkpoints (absolute paths, so `--resume` works from anywhere).
    var inputs: TrainingInputs {
        TrainingInputs(corpus: absolutePath(corpus), valid: valid.map(absolutePath), threads: threads,
                       textColumn: source.textColumn, filters: source.filters.isEmpty ? nil : source.filters,
                       splitBy: source.splitBy)
    }

    /// Training and validation text of a run being resumed, read as its checkpoint recorded.
    static func trainingTexts(of inputs: TrainingInputs) throws -> CharTexts {
        var data = CharCorpusOptions()
        data.source = CorpusOptions(corpus: inputs.corpus, textColumn: inputs.textColumn, filters: inputs.filters ?? [],
                                    splitBy: inputs.splitBy)
        data.valid = inputs.valid
        return try data.trainingTexts()
    }

    func applyThreads() { BLAS.setThreads(threads) }

    var corpus: String { source.corpus }

    func load() throws -> Corpus { try source.load() }

    /// Training and validation text: the corpus's split, or all of it with `--valid`'s text.
    func trainingTexts() throws -> CharTexts {
        let loaded = try load()
        if let valid { return CharTexts(train: loaded.text, valid: try source.loadValidation(valid).text) }
        return CharTexts(corpus: loaded)
    }

    /// The `part` of the loaded corpus's split; an empty part is an error naming the corpus file.
    func text(of part: CorpusSplit.Part, in loaded: Corpus) throws -> String {
        let text = loaded.split.text(part, whole: loaded.text)
        guard !text.isEmpty else { throw LyricsError(file: corpus, "the \(part.rawValue) part is empty") }
        return text
    }
}

/// What the `evaluate` commands share: which part of the corpus to score, the streams scored in
/// parallel and JSON output.
struct EvaluationOptions: ParsableArguments {
    @Option(name: .long, help: "Part of the corpus split: train, valid, test or all.") var part: CorpusSplit.Part = .test
    @Option(name: .long, help: "Streams scored in parallel.") var batch: Int = 16
    @Flag(name: .long, help: "Print JSON.") var json = false

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch: must be at least 1") }
    }
}

/// Training and validation text for the char model: the corpus split's train and valid parts, or
/// for a text too small to have a validation part, its last 5% of lines (or songs).
struct CharTexts {
    var train: String
    var valid: String

    init(train: String, valid: String) {
        self.train = train
        self.valid = valid
    }

    init(corpus: Corpus) {
        let split = corpus.split
        if !split.valid.isEmpty {
            train = split.train
            valid = split.valid
        } else {
            (train, valid) = corpus.tailHoldOut()
        }
    }
}

/// `path` made absolute against the current directory (standardised).
func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}
