import Foundation
import LyricsCore
import NeuralNet

/// Architecture of a word model (stored in checkpoints, so a file rebuilds its model).
public struct WordModelConfig: Codable, Equatable, Sendable {
    public var loss: WordLoss
    public var layers: Int
    public var hiddenSize: Int
    /// Dropout after each LSTM layer (0 = none).
    public var dropout: Float
    /// Train a copy of the input vectors with the model. The output table (the unit vectors the
    /// losses compare against) always stays the file's: moving targets would let the cosine
    /// loss collapse and would change what the vector file's neighbours mean.
    public var fineTuneVectors: Bool

    public init(loss: WordLoss = .vmf, layers: Int = 2, hiddenSize: Int = 256, dropout: Float = 0.25, fineTuneVectors: Bool = false) {
        self.loss = loss
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.dropout = dropout
        self.fineTuneVectors = fineTuneVectors
    }
}

/// A word language model over pretrained vectors: the vectors of the words so far go through
/// `layers` LSTMs and a dense layer that emits a vector y (dimension D) for the next word, scored
/// by `OutputHead` against the unit vector table. Built for a fixed batch of parallel streams and
/// a maximum chunk length; training, evaluation and generation use separate instances of one
/// configuration and copy the flat parameters between them.
public final class WordModel {
    /// Chunk length when a model only scores text (evaluation, the comparison): the training
    /// chunk length, as the scores carry the state across chunks anyway.
    public static let scoringSteps = 35
    public let config: WordModelConfig
    public let table: VectorTable
    public let batch: Int
    public let maxSteps: Int
    /// The trainable input vectors when fine-tuning (initialised from the file).
    public let embedding: Embedding?
    public let stack: LayerStack
    public let parameters: ParameterSet
    /// Draws dropout masks; part of the training state.
    public let random: RandomSource
    public let head: OutputHead
    /// Concentration for cosine models (fitted on validation text); unused by vMF models.
    public var kappa: Float = 10
    /// The training text's unigram log-probabilities (set when training; the `prior` rule's p).
    public var unigram: [Float]?
    /// The fitted `prior` retrieval rule, when the run that made the model fitted one.
    public var retrievalPrior: RetrievalPrior?
    /// Training's sampled normaliser for the vMF loss (nil: the exact one over the vocabulary).
    public var sampledSoftmax: SampledSoftmax?
    private let inputs: FloatBuffer   // [maxSteps, batch, D] frozen lookups
    private let dY: FloatBuffer

    /// `initialize: false` skips drawing initial weights (the caller copies trained ones in).
    /// `sharingWeightsOf` reads another model's weights in place (same configuration; inference
    /// only, see `ParameterSet.init(_:sharing:)`), taking its kappa.
    public init(config: WordModelConfig, table: VectorTable, batch: Int, maxSteps: Int, seed: UInt64, initialize: Bool = true,
                sharingWeightsOf source: WordModel? = nil) {
        self.config = config
        self.table = table
        self.batch = batch
        self.maxSteps = maxSteps
        let D = table.dimension, H = config.hiddenSize
        random = RandomSource(seed: seed ^ 0x3A0D_5EED)
        var layers = [SequenceLayer]()
        var inSize = D
        for _ in 0..<config.layers {
            layers.append(LSTM(inputSize: inSize, hiddenSize: H, batch: batch, maxSteps: maxSteps))
            if config.dropout > 0 {
                layers.append(Dropout(size: H, rate: config.dropout, batch: batch, maxSteps: maxSteps, random: random))
            }
            inSize = H
        }
        layers.append(Dense(inputSize: inSize, outputSize: D, batch: batch, maxSteps: maxSteps))
        stack = LayerStack(layers)
        var owners = stack.namedOwners(prefix: "rnn")
        if config.fineTuneVectors {
            let e = Embedding(vocabularySize: table.count, dimension: D, batch: batch, maxSteps: maxSteps)
            embedding = e
            owners.insert(("input", e), at: 0)
        } else {
            embedding = nil
        }
        parameters = ParameterSet(owners, sharing: source?.parameters)
        let initialize = initialize && source == nil
        var rng = SeededRandom(seed: seed)
        if initialize { parameters.initialize(&rng) }
        if initialize, config.fineTuneVectors, let t = parameters.values(of: "input.table") {
            table.vectors.withUnsafeBufferPointer { t.baseAddress!.update(from: $0.baseAddress!, count: t.count) }
        }
        inputs = FloatBuffer(count: config.fineTuneVectors ? 1 : maxSteps * batch * D)
        head = OutputHead(table: table, maxRows: batch * maxSteps)
        dY = FloatBuffer(count: batch * maxSteps * D)
        if let source { kappa = source.kappa }
    }

    /// Predicted vectors `[steps, batch, D]` for time-major input ids.
    public func forward(_ ids: UnsafePointer<Int32>, steps: Int, training: Bool) -> UnsafeMutablePointer<Float> {
        if let embedding {
            return stack.forward(embedding.forward(ids, steps: steps), steps: steps, training: training)
        }
        let D = table.dimension
        table.vectors.withUnsafeBufferPointer { v in
            for r in 0..<(steps * batch) {
                (inputs.pointer + r * D).update(from: v.baseAddress! + Int(ids[r]) * D, count: D)
            }
        }
        return stack.forward(inputs.pointer, steps: steps, training: training)
    }

    /// Forward, loss and backward for one chunk; gradients of the mean loss per scored word are
    /// added to `parameters.gradients`. Returns the summed training loss (nats for vMF, Σ(1−cos)
    /// for cosine) and the number of words scored.
    @discardableResult
    public func trainStep(inputs ids: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, steps: Int) -> (nats: Double, count: Int) {
        let y = forward(ids, steps: steps, training: true)
        let rows = steps * batch
        var count = 0
        for r in 0..<rows where targets[r] >= 0 { count += 1 }
        let scale = 1 / Float(max(count, 1))
        let st: HeadStats
        switch config.loss {
        case .vmf:
            if let sampled = sampledSoftmax {
                st = sampled.loss(y, targets: targets, rows: rows, gradient: dY.pointer, gradScale: scale, random: &random.rng)
            } else {
                st = head.vmf(y, targets: targets, rows: rows, gradient: dY.pointer, gradScale: scale)
            }
        case .cosine: st = head.cosine(y, targets: targets, rows: rows, gradient: dY.pointer, gradScale: scale)
        }
        let dx = stack.backward(dY.pointer, steps: steps)
        embedding?.backward(dx, steps: steps)
        return (st.nats, st.count)
    }

    /// Forward-only likelihood of the targets (nats, hits) under the model's distribution:
    /// softmax(y · ê) for vMF, softmax(kappa · cos) for cosine (with kappa derivatives).
    public func likelihood(inputs ids: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, steps: Int, kappa: Float? = nil) -> HeadStats {
        let y = forward(ids, steps: steps, training: false)
        let rows = steps * batch
        switch config.loss {
        case .vmf: return head.vmf(y, targets: targets, rows: rows, gradient: nil, gradScale: 0)
        case .cosine: return head.cosineLikelihood(y, targets: targets, rows: rows, kappa: kappa ?? self.kappa)
        }
    }

    public func resetState() { stack.resetState() }

    /// Copies the weights of a model with the same configuration (any batch or chunk length).
    public func copyParameters(from other: WordModel) {
        precondition(other.parameters.count == parameters.count)
        parameters.values.pointer.update(from: other.parameters.values.pointer, count: parameters.count)
        kappa = other.kappa
    }

    public func copyParameters(from values: UnsafeBufferPointer<Float>) {
        precondition(values.count == parameters.count)
        parameters.values.pointer.update(from: values.baseAddress!, count: parameters.count)
    }

    /// Scores `ids` as one text: each word is predicted from the ones before it, the first from
    /// a newline token (as the char model predicts its first character from a newline). The text
    /// is cut into `batch` contiguous streams scored in parallel; padding is not scored.
    public func score(_ ids: [Int32], kappa: Float? = nil) -> HeadStats {
        var seq = ids
        seq.insert(table.newlineID, at: 0)
        var total = HeadStats()
        forEachScoringChunk(of: seq) { inputs, targets, steps in
            total += likelihood(inputs: inputs, targets: targets, steps: steps, kappa: kappa)
        }
        return total
    }

    /// Fits the cosine model's kappa by maximum likelihood on `ids`. The negative log-likelihood
    /// is convex in kappa (its second derivative is a variance), so its derivative is monotone:
    /// a bracket [lo, hi] with L'(lo) < 0 < L'(hi) is grown by doubling, then narrowed by Newton
    /// steps that fall back to bisection whenever they would leave the bracket (plain Newton
    /// overshoots where the softmax saturates and L'' is tiny). Sets and returns kappa.
    @discardableResult
    public func fitKappa(_ ids: [Int32], start: Float? = nil, iterations: Int = 30) -> Float {
        precondition(config.loss == .cosine)
        var k = max(Double(start ?? kappa), 1e-3)
        var lo = 0.0, hi = Double.infinity
        for _ in 0..<iterations {
            let st = score(ids, kappa: Float(k))
            if st.dKappa < 0 { lo = k } else { hi = k }
            var next = st.d2Kappa > 0 ? k - st.dKappa / st.d2Kappa : .nan
            if !(next > lo && next < hi) { next = hi.isFinite ? (lo + hi) / 2 : max(k * 2, 1) }
            let done = abs(next - k) < 1e-4 * k
            k = next
            if done || (hi.isFinite && hi - lo < 1e-4 * hi) { break }
        }
        kappa = Float(k)
        return kappa
    }
}
