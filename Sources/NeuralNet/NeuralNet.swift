/// # Recurrent: llm.c-style recurrent layers over flat Float buffers
///
/// Every layer is a `final class` that allocates its activation buffers once (for a fixed
/// `batch` and a maximum number of `maxSteps`) and exposes a `forward`/`backward` pair over raw
/// pointers. Sequences are **time-major**: a `[steps, batch, features]` buffer holds row
/// `t * batch + b` for stream `b` at step `t`. Matrix products go through OpenBLAS `sgemm`.
///
/// Parameters do not live in the layers: a `ParameterSet` lays out every layer's tensors in one
/// flat value buffer and one flat gradient buffer and binds each layer to its slice, so the
/// optimiser (`Adam`), gradient clipping and checkpoints work on one contiguous array.
///
/// Driving a stack with arbitrary inputs and a custom loss (the word model's use):
///
/// ```swift
/// let stack = LayerStack([LSTM(inputSize: 300, hiddenSize: 512, batch: B, maxSteps: T),
///                         LSTM(inputSize: 512, hiddenSize: 512, batch: B, maxSteps: T),
///                         Dense(inputSize: 512, outputSize: 300, batch: B, maxSteps: T)])
/// let params = ParameterSet(stack.namedOwners(prefix: "stack"))
/// var rng = SeededRandom(seed: 1)
/// params.initialize(&rng)
/// let adam = Adam(parameters: params)
/// params.zeroGradients()
/// let y = stack.forward(x, steps: T, training: true)  // x: [T, B, 300], y: [T, B, 300]
/// // ... compute your loss from y and write dL/dy into dy ([T, B, 300]) ...
/// let dx = stack.backward(dy, steps: T)              // accumulates gradients, returns dL/dx
/// params.clipGradients(maxNorm: 5)
/// adam.step(learningRate: 1e-3)
/// ```
///
/// Recurrent state carries over: after `forward` each recurrent layer keeps its last hidden state
/// as the initial state of the next call (truncated BPTT), until `resetState()` (or
/// `resetState(stream:)` for one stream). `stateBuffers` exposes it for checkpoints.
/// `backward` must follow the `forward` it differentiates, with the input buffer unchanged;
/// call it with `steps` equal to that forward's. Gradients accumulate until `zeroGradients()`.
/// Models with ids as input put an `Embedding` in front (`embedding.forward(ids)` →
/// `stack.forward`, then `embedding.backward(stack.backward(dy))`); `SoftmaxCrossEntropy`
/// gives the classification loss and its gradient, or write any gradient yourself.
public enum Recurrent {
    public static let formatVersion = 1
}

/// A Float buffer allocated once and freed with its owner; layers hand out its pointer so the
/// hot loops never go through Swift array copy-on-write or exclusivity checks.
public final class FloatBuffer {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    public init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    public func zero() { pointer.update(repeating: 0, count: count) }

    public var array: [Float] { Array(buffer) }

    public func copy(from array: [Float]) {
        precondition(array.count == count, "FloatBuffer.copy: \(array.count) values for \(count)")
        array.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }
}
