import Foundation
import LyricsCore
import NeuralNet

/// Which recurrent cell a model stacks.
public enum CellKind: String, Codable, CaseIterable, Sendable { case lstm, gru }

/// Architecture of a character model (stored in checkpoints, so a file rebuilds its model).
public struct CharModelConfig: Codable, Equatable, Sendable {
    public var cell: CellKind
    public var layers: Int
    public var hiddenSize: Int
    public var embeddingSize: Int
    /// Dropout between recurrent layers and before the output layer (0 = none).
    public var dropout: Float

    public init(cell: CellKind = .lstm, layers: Int = 2, hiddenSize: Int = 384, embeddingSize: Int = 32, dropout: Float = 0) {
        self.cell = cell
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.embeddingSize = embeddingSize
        self.dropout = dropout
    }
}

/// The characters a model knows, as bytes of normalised text (a-z, apostrophe, space, newline),
/// in byte order so the same text always gives the same ids.
public struct CharVocabulary: Equatable, Sendable {
    public let symbols: [UInt8]
    private let index: [Int16]

    public var count: Int { symbols.count }

    /// The symbols occurring in `text`.
    public init(text: String) {
        var seen = [Bool](repeating: false, count: 256)
        for b in text.utf8 { seen[Int(b)] = true }
        self.init(uncheckedSymbols: (0..<256).filter { seen[$0] }.map { UInt8($0) })
    }

    /// Rebuilds from stored symbols; they must be distinct ASCII bytes.
    public init(string: String, file: String? = nil) throws {
        let bytes = Array(string.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 < 128 }), Set(bytes).count == bytes.count else {
            throw LyricsError(file: file, "invalid character vocabulary in checkpoint")
        }
        self.init(uncheckedSymbols: bytes.sorted())
    }

    private init(uncheckedSymbols: [UInt8]) {
        symbols = uncheckedSymbols
        var idx = [Int16](repeating: -1, count: 256)
        for (i, s) in symbols.enumerated() { idx[Int(s)] = Int16(i) }
        index = idx
    }

    public var string: String { String(decoding: symbols, as: UTF8.self) }

    public func id(of byte: UInt8) -> Int32? {
        let i = index[Int(byte)]
        return i < 0 ? nil : Int32(i)
    }

    /// Ids of the text's bytes; bytes outside the vocabulary are dropped and counted.
    public func encode(_ text: String) -> (ids: [Int32], skipped: Int) {
        var ids = [Int32]()
        ids.reserveCapacity(text.utf8.count)
        var skipped = 0
        for b in text.utf8 {
            let i = index[Int(b)]
            if i >= 0 { ids.append(Int32(i)) } else { skipped += 1 }
        }
        return (ids, skipped)
    }

    public func decode(_ ids: [Int32]) -> String { String(decoding: ids.map { symbols[Int($0)] }, as: UTF8.self) }
}

/// A character language model: embedding → `layers` LSTM/GRU layers (dropout between them and
/// before the output) → dense → softmax. Built for a fixed batch of parallel streams and a
/// maximum chunk length; training, evaluation and generation use separate instances of the same
/// configuration and copy the flat parameters between them.
public final class CharModel {
    /// Chunk length when a model only scores text (evaluation, the comparison, the judge): long
    /// chunks mean fewer calls, and scoring carries the state across chunks anyway.
    public static let scoringSteps = 100
    public let config: CharModelConfig
    public let vocabulary: CharVocabulary
    public let batch: Int
    public let maxSteps: Int
    public let embedding: Embedding
    public let stack: LayerStack
    public let output: Dense
    public let parameters: ParameterSet
    /// Draws dropout masks; part of the training state.
    public let random: RandomSource
    private let dLogits: FloatBuffer

    /// `sharingWeightsOf` reads another model's weights in place (same configuration; inference
    /// only, see `ParameterSet.init(_:sharing:)`) instead of drawing new ones.
    public init(config: CharModelConfig, vocabulary: CharVocabulary, batch: Int, maxSteps: Int, seed: UInt64,
                zeroOutput: Bool = false, sharingWeightsOf source: CharModel? = nil) {
        self.config = config
        self.vocabulary = vocabulary
        self.batch = batch
        self.maxSteps = maxSteps
        let V = vocabulary.count, H = config.hiddenSize
        random = RandomSource(seed: seed ^ 0x5EED_D809)
        embedding = Embedding(vocabularySize: V, dimension: config.embeddingSize, batch: batch, maxSteps: maxSteps)
        var layers = [SequenceLayer]()
        var inSize = config.embeddingSize
        for _ in 0..<config.layers {
            switch config.cell {
            case .lstm: layers.append(LSTM(inputSize: inSize, hiddenSize: H, batch: batch, maxSteps: maxSteps))
            case .gru: layers.append(GRU(inputSize: inSize, hiddenSize: H, batch: batch, maxSteps: maxSteps))
            }
            if config.dropout > 0 {
                layers.append(Dropout(size: H, rate: config.dropout, batch: batch, maxSteps: maxSteps, random: random))
            }
            inSize = H
        }
        output = Dense(inputSize: inSize, outputSize: V, batch: batch, maxSteps: maxSteps)
        output.zeroInitialization = zeroOutput
        layers.append(output)
        stack = LayerStack(layers)
        parameters = ParameterSet([("embedding", embedding)] + stack.namedOwners(prefix: "rnn"), sharing: source?.parameters)
        var rng = SeededRandom(seed: seed)
        if source == nil { parameters.initialize(&rng) }
        dLogits = FloatBuffer(count: batch * maxSteps * V)
    }

    /// Names and shapes of the parameters a configuration has, without building the model
    /// (checkpoint loading checks them before allocating anything).
    public static func parameterShapes(config: CharModelConfig, vocabularySize V: Int) -> [(String, [Int])] {
        var out: [(String, [Int])] = [("embedding.table", [V, config.embeddingSize])]
        let H = config.hiddenSize, stride = config.dropout > 0 ? 2 : 1
        var inSize = config.embeddingSize
        for l in 0..<config.layers {
            let p = "rnn.\(l * stride).\(config.cell.rawValue)."
            switch config.cell {
            case .lstm: out += [(p + "Wx", [inSize, 4 * H]), (p + "Wh", [H, 4 * H]), (p + "b", [4 * H])]
            case .gru: out += [(p + "Wx", [inSize, 3 * H]), (p + "Wh", [H, 3 * H]), (p + "bx", [3 * H]), (p + "bh", [3 * H])]
            }
            inSize = H
        }
        let d = "rnn.\(config.layers * stride).dense."
        return out + [(d + "W", [inSize, V]), (d + "b", [V])]
    }

    /// Logits `[steps, batch, V]` for time-major input ids.
    public func forward(_ ids: UnsafePointer<Int32>, steps: Int, training: Bool) -> UnsafeMutablePointer<Float> {
        stack.forward(embedding.forward(ids, steps: steps), steps: steps, training: training)
    }

    /// Forward, loss and backward for one chunk; gradients of the mean loss per scored symbol are
    /// added to `parameters.gradients`. Returns the summed loss in nats and the number scored.
    public func trainStep(inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, steps: Int) -> (nats: Double, count: Int) {
        let logits = forward(inputs, steps: steps, training: true)
        let rows = steps * batch
        var count = 0
        for r in 0..<rows where targets[r] >= 0 { count += 1 }
        let nats = SoftmaxCrossEntropy.loss(logits: logits, targets: targets, rows: rows, classes: vocabulary.count,
                                            gradient: dLogits.pointer, gradScale: 1 / Float(max(count, 1)))
        let dEmb = stack.backward(dLogits.pointer, steps: steps)
        embedding.backward(dEmb, steps: steps)
        return (nats, count)
    }

    /// Forward-only loss (nats summed, symbols scored), e.g. for validation.
    public func loss(inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, steps: Int) -> (nats: Double, count: Int) {
        let logits = forward(inputs, steps: steps, training: false)
        let rows = steps * batch
        var count = 0
        for r in 0..<rows where targets[r] >= 0 { count += 1 }
        let nats = SoftmaxCrossEntropy.loss(logits: logits, targets: targets, rows: rows, classes: vocabulary.count,
                                            gradient: nil, gradScale: 0)
        return (nats, count)
    }

    public func resetState() { stack.resetState() }

    /// Copies the weights of a model with the same configuration (any batch or chunk length).
    public func copyParameters(from other: CharModel) {
        precondition(other.parameters.count == parameters.count)
        parameters.values.pointer.update(from: other.parameters.values.pointer, count: parameters.count)
    }

    /// Bits per character of `ids` (each symbol predicted from the ones before it, the first from
    /// a newline when the vocabulary has one): the text is cut into `batch` contiguous streams
    /// scored in parallel; padding at the end of the last streams is not scored.
    public func bitsPerCharacter(_ ids: [Int32]) -> (bits: Double, count: Int) {
        var seq = ids
        if let nl = vocabulary.id(of: 0x0A) { seq.insert(nl, at: 0) }
        var nats = 0.0, count = 0
        forEachScoringChunk(of: seq) { inputs, targets, steps in
            let r = loss(inputs: inputs, targets: targets, steps: steps)
            nats += r.nats
            count += r.count
        }
        return (nats / Foundation.log(2.0) / Double(max(count, 1)), count)
    }
}
