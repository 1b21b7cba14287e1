import Foundation
import LyricsCore
import WordModel

/// Serves a word-model checkpoint (with the vectors it names). `length` counts words; the
/// loaded model is immutable and builds per-call state, so requests share it safely.
public final class WordModelGenerator: LyricsGenerator, @unchecked Sendable {
    public let name: String
    public let kind = "word"
    public let summary: String
    private let model: LoadedWordModel

    public init(name: String, checkpoint path: String, vectors: String? = nil) throws {
        model = try LoadedWordModel(checkpoint: path, vectors: vectors)
        self.name = name
        summary = "word model, \(model.config.loss.rawValue) loss, \(model.table.count) words x \(model.table.dimension) (\((path as NSString).lastPathComponent))"
    }

    public func generate(_ request: GenerateRequest) throws -> String {
        do {
            return try model.generate(seedText: request.seed, words: request.length, temperature: Float(request.temperature),
                                      topK: request.topK, seed: request.randomSeed ?? 0)
        } catch let e as LyricsError {
            // The model only throws for input it cannot use (e.g. a seed with no known word).
            throw GenerationInputError(e.description)
        }
    }
}
