import Foundation
import LyricsCore
import NeuralNet

/// What to write: a seed text to continue and how much to add.
public struct GenerationRequest: Sendable, Equatable {
    public enum Length: Sendable, Equatable {
        /// This many words (newline tokens not counted).
        case words(Int)
        /// Until this many line breaks have been written.
        case lines(Int)
    }
    public var seedText: String
    public var length: Length
    /// Divides the candidates' logits; 0 = always the nearest word (greedy).
    public var temperature: Float
    /// Candidates: the k words whose unit vectors are nearest to the predicted vector.
    public var topK: Int
    public var seed: UInt64

    public init(seedText: String = "", length: Length = .lines(4), temperature: Float = 1, topK: Int = 10, seed: UInt64 = 1) {
        self.seedText = seedText
        self.length = length
        self.temperature = temperature
        self.topK = topK
        self.seed = seed
    }
}

public struct GenerationResult: Sendable {
    /// Normalised seed text followed by the generated words, as lines.
    public var text: String
    /// Only the generated part.
    public var generated: String
    /// Notes for the user (e.g. "top-k clamped"), meant for stderr.
    public var notes: [String]
}

/// A trained word model held in memory for generation: immutable weights and vectors, so one
/// instance serves any number of concurrent `generate` calls (each call builds its own batch-1
/// network and scratch; nothing is shared mutably).
public final class LoadedWordModel: @unchecked Sendable {
    public let config: WordModelConfig
    public let table: VectorTable
    public let kappa: Float
    public let path: String
    private let parameters: [Float]

    /// Reads a checkpoint and its vectors (by default the file the checkpoint names), checking
    /// that they belong together.
    public convenience init(checkpoint: String, vectors: String? = nil) throws {
        let loaded = try WordCheckpoint.load(checkpoint)
        let table = try VectorTable.load(vectors ?? loaded.vectorsPath)
        try self.init(loaded: loaded, table: table)
    }

    public init(loaded: WordCheckpoint.Loaded, table: VectorTable) throws {
        let model = try WordCheckpoint.model(loaded, table: table, batch: 1, maxSteps: 1)
        config = loaded.config
        self.table = table
        kappa = loaded.kappa
        path = loaded.path
        parameters = model.parameters.values.array
    }

    /// Convenience for servers: continue `seedText` by `words` words.
    public func generate(seedText: String, words: Int, temperature: Float, topK: Int, seed: UInt64) throws -> String {
        try generate(GenerationRequest(seedText: seedText, length: .words(words), temperature: temperature, topK: topK, seed: seed)).text
    }

    /// Primes a fresh batch-1 network with a newline token and the seed's words, then samples
    /// word by word: the k words whose unit vectors are cosine-nearest to y (one sgemv against
    /// Ê; "<unk>" never a candidate), drawn from softmax(kappa · cos / temperature), where kappa
    /// is |y| for vMF models and the validation-fitted constant for cosine models.
    public func generate(_ request: GenerationRequest) throws -> GenerationResult {
        guard request.temperature >= 0, request.temperature.isFinite else { throw LyricsError("temperature must be 0 or positive") }
        guard request.topK >= 1 else { throw LyricsError("top-k must be at least 1") }
        var notes = [String]()
        let seedText = TextNormalizer.normalize(request.seedText).trimmingCharacters(in: .newlines)
        let seedTokens = WordTokenizer.tokenize(seedText)
        let seedIDs = seedTokens.map { table.id($0) }
        if !seedTokens.isEmpty, seedIDs.allSatisfy({ $0 == table.unknownID }) {
            throw LyricsError("seed text has no word in the model's vocabulary (\(table.count) words); use other words or an empty seed")
        }
        let candidates = table.count - 1
        var k = request.topK
        if k > candidates {
            notes.append("top-k \(k) is larger than the vocabulary; using \(candidates)")
            k = candidates
        }
        let model = WordModel(config: config, table: table, batch: 1, maxSteps: 1, seed: 0, initialize: false)
        parameters.withUnsafeBufferPointer { model.copyParameters(from: $0) }
        var rng = SeededRandom(seed: request.seed)
        let V = table.count, D = table.dimension
        var scores = [Float](repeating: 0, count: V)
        var top = [(id: Int32, cos: Float)]()
        top.reserveCapacity(k + 1)
        var weights = [Double](repeating: 0, count: k)

        var y: UnsafeMutablePointer<Float>!
        func feed(_ id: Int32) { var i = id; y = model.forward(&i, steps: 1, training: false) }
        feed(table.newlineID)
        for id in seedIDs { feed(id) }

        var out = [String]()
        var words = 0, lines = 0
        let cap: Int
        switch request.length {
        case .words(let n): cap = n * 4 + 16
        case .lines(let n): cap = n * 200 + 16
        }
        func done() -> Bool {
            switch request.length {
            case .words(let n): return words >= n
            case .lines(let n): return lines >= n
            }
        }
        while !done(), out.count < cap {
            let norm = max(BLAS.norm(D, y), 1e-12)
            table.withUnit { u in
                scores.withUnsafeMutableBufferPointer { s in
                    BLAS.gemv(false, V, D, 1 / norm, u, D, y, 0, s.baseAddress!)
                }
            }
            // Top k by cosine, best first, skipping "<unk>".
            top.removeAll(keepingCapacity: true)
            for j in 0..<V where Int32(j) != table.unknownID {
                let c = scores[j]
                if top.count == k, c <= top[k - 1].cos { continue }
                var pos = top.count
                while pos > 0, top[pos - 1].cos < c { pos -= 1 }
                top.insert((Int32(j), c), at: pos)
                if top.count > k { top.removeLast() }
            }
            var next = top[0].id
            if request.temperature > 0 {
                let kap = Double(config.loss == .vmf ? norm : kappa) / Double(request.temperature)
                var sum = 0.0
                for i in 0..<top.count {
                    weights[i] = Foundation.exp(kap * Double(top[i].cos - top[0].cos))
                    sum += weights[i]
                }
                var u = rng.nextDouble() * sum
                for i in 0..<top.count {
                    u -= weights[i]
                    if u < 0 { next = top[i].id; break }
                }
            }
            if next == table.newlineID { lines += 1 } else { words += 1 }
            out.append(table.words[Int(next)])
            feed(next)
        }
        let generated = WordTokenizer.detokenize(out)
        var text = seedText
        if !seedText.isEmpty, let first = out.first, first != WordTokenizer.newline { text += " " }
        text += generated
        return GenerationResult(text: text, generated: generated, notes: notes)
    }
}
