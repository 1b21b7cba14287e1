import ArgumentParser
import Foundation
import LyricsCore
import WordVectors

/// Options shared by the query and evaluation subcommands: which vector file to read.
struct VectorsFileOptions: ParsableArguments {
    @Option(name: .customLong("vectors"), help: "Vector file (.bin = word2vec binary, else word2vec text; default vectors/verse-2m.bin, the shipped one).")
    var pathOption: String?
    var path: String { pathOption ?? BundledData.path("vectors/verse-2m.bin") }

    @Option(help: "Only the N most frequent words are candidates (default: all for queries; 30000 for evaluate's analogies, as word2vec.c's compute-accuracy).")
    var restrictVocab: Int?

    func validate() throws {
        if let r = restrictVocab, r < 1 { throw ValidationError("--restrict-vocab: must be at least 1") }
    }

    func load() throws -> WordEmbedding { try VectorFile.read(path) }
}

/// `--json` for scripts: results as one JSON document on stdout instead of a table.
struct JSONOutputOptions: ParsableArguments {
    @Flag(help: "Print results as JSON (for scripts).")
    var json = false

    func emit<T: Encodable>(_ value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        print(String(decoding: try enc.encode(value), as: UTF8.self))
    }
}

/// A scored word in query output.
struct ScoredWord: Codable {
    var word: String
    var cosine: Float
}

extension CorpusSplit.Part: ExpressibleByArgument {}
extension SkipGramUpdate: ExpressibleByArgument {}
extension SkipGramParallelism: ExpressibleByArgument {}
