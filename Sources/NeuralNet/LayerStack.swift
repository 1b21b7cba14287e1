import LyricsCore

/// Layers applied in order; `forward` feeds each output to the next and `backward` runs the
/// gradients back down. Input and output are plain vectors, so the same stack serves the char
/// model (behind an `Embedding`, in front of softmax) and a word model with its own loss.
public final class LayerStack {
    public let layers: [SequenceLayer]

    public init(_ layers: [SequenceLayer]) {
        precondition(!layers.isEmpty, "LayerStack needs at least one layer")
        for i in 1..<layers.count {
            precondition(layers[i - 1].outputSize == layers[i].inputSize,
                         "LayerStack: layer \(i - 1) emits \(layers[i - 1].outputSize), layer \(i) reads \(layers[i].inputSize)")
            precondition(layers[i - 1].batch == layers[i].batch, "LayerStack: batch sizes differ")
        }
        self.layers = layers
    }

    /// The precision of the recurrent layers' products (LSTM; other layers stay fp32).
    public var precision: Precision {
        get { layers.lazy.compactMap { $0 as? LSTM }.first?.precision ?? .fp32 }
        set { for case let l as LSTM in layers { l.precision = newValue } }
    }

    /// Whether the recurrent layers' weights stay as they are (a generation model: bf16 packs
    /// them once; see `LSTM.frozen`).
    public var frozen: Bool {
        get { layers.lazy.compactMap { $0 as? LSTM }.first?.frozen ?? false }
        set { for case let l as LSTM in layers { l.frozen = newValue } }
    }

    public var inputSize: Int { layers[0].inputSize }
    public var outputSize: Int { layers[layers.count - 1].outputSize }
    public var batch: Int { layers[0].batch }
    public var maxSteps: Int { layers.map(\.maxSteps).min()! }

    /// `(name, layer)` pairs for a `ParameterSet`, named "prefix.index.kind".
    public func namedOwners(prefix: String) -> [(String, ParameterOwner)] {
        layers.enumerated().map { i, l in ("\(prefix).\(i).\(Self.kind(l))", l as ParameterOwner) }
    }

    static func kind(_ l: SequenceLayer) -> String {
        switch l {
        case is LSTM: return "lstm"
        case is GRU: return "gru"
        case is Dense: return "dense"
        case is Dropout: return "dropout"
        default: return "layer"
        }
    }

    /// `x`: `[steps, batch, inputSize]`; returns `[steps, batch, outputSize]` (owned by the top layer).
    public func forward(_ x: UnsafePointer<Float>, steps: Int, training: Bool) -> UnsafeMutablePointer<Float> {
        var h = x
        var out: UnsafeMutablePointer<Float>!
        for l in layers {
            out = l.forward(h, steps: steps, training: training)
            h = UnsafePointer(out)
        }
        return out
    }

    /// `dy`: dL/d(output); accumulates parameter gradients and returns dL/dx.
    @discardableResult
    public func backward(_ dy: UnsafePointer<Float>, steps: Int) -> UnsafeMutablePointer<Float> {
        var g = dy
        var out: UnsafeMutablePointer<Float>!
        for l in layers.reversed() {
            out = l.backward(g, steps: steps)
            g = UnsafePointer(out)
        }
        return out
    }

    public func resetState() { for l in layers { l.resetState() } }
    public func resetState(stream: Int) { for l in layers { l.resetState(stream: stream) } }

    /// Every carried state tensor, bottom layer first.
    public var stateBuffers: [FloatBuffer] { layers.flatMap(\.stateBuffers) }

    /// The carried state as one array followed by `extra` (a model's last output), so a
    /// generator can try several continuations from one point.
    public func saveState(appending extra: [Float] = []) -> [Float] {
        stateBuffers.flatMap { Array($0.buffer) } + extra
    }

    /// Puts back a `saveState` array; returns what followed the carried state (the `extra`).
    @discardableResult
    public func restoreState(_ state: [Float]) -> ArraySlice<Float> {
        var offset = 0
        for b in stateBuffers {
            state.withUnsafeBufferPointer { b.pointer.update(from: $0.baseAddress! + offset, count: b.count) }
            offset += b.count
        }
        return state[offset...]
    }

    /// Stream `stream`'s carried state in the layout `saveState` gives a batch-1 stack of the
    /// same layers, followed by `extra`: candidate streams hand their state back to the
    /// one-stream model that writes the chosen line on.
    public func state(ofStream stream: Int, appending extra: [Float] = []) -> [Float] {
        var out = [Float]()
        for b in stateBuffers {
            let n = b.count / batch
            out += UnsafeBufferPointer(start: b.pointer + stream * n, count: n)
        }
        return out + extra
    }

    /// Sets stream `stream` from a batch-1 stack's `saveState` array; returns what followed
    /// the carried state (the `extra`).
    @discardableResult
    public func setState(ofStream stream: Int, from state: [Float]) -> ArraySlice<Float> {
        var offset = 0
        for b in stateBuffers {
            let n = b.count / batch
            state.withUnsafeBufferPointer { (b.pointer + stream * n).update(from: $0.baseAddress! + offset, count: n) }
            offset += n
        }
        return state[offset...]
    }
}
