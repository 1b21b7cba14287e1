import Foundation
import LyricsCore
import CharModel
import NeuralNet

/// Serves a char-model checkpoint. `length` counts characters; the seed text primes the model
/// and is returned in front of the continuation, as a person reading the page expects.
public final class CharModelGenerator: LyricsGenerator, @unchecked Sendable {
    public let name: String
    public let kind = "char"
    public let summary: String
    private let master: CharModel
    private let pool: GeneratorPool<CharGenerator>

    public init(name: String, checkpoint path: String) throws {
        let loaded = try CharCheckpoint.load(path)
        let master = try CharCheckpoint.model(loaded, batch: 1, maxSteps: 1)
        self.master = master
        self.name = name
        let c = loaded.config
        summary = "char \(c.cell.rawValue) \(c.layers)x\(c.hiddenSize), \(loaded.vocabulary.count) symbols (\((path as NSString).lastPathComponent))"
        pool = GeneratorPool {
            let copy = CharModel(config: master.config, vocabulary: master.vocabulary, batch: 1, maxSteps: 1, seed: 0)
            copy.copyParameters(from: master)
            return CharGenerator(model: copy)
        }
    }

    public func generate(_ request: GenerateRequest) throws -> String {
        let prime = TextNormalizer.normalize(request.seed).trimmingCharacters(in: .newlines)
        var rng = SeededRandom(seed: request.randomSeed ?? 0)
        let text = try pool.with { generator in
            generator.generate(prime: prime, length: request.length, temperature: Float(request.temperature),
                               topK: request.topK, rng: &rng)
        }
        return prime.isEmpty ? text : prime + text
    }
}
