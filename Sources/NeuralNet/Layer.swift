import LyricsCore

/// Name and shape of one parameter tensor (row-major).
public struct ParameterSpec: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var count: Int { shape.reduce(1, *) }
    public init(_ name: String, _ shape: [Int]) { self.name = name; self.shape = shape }
}

/// Anything with trainable tensors. The owner of the flat storage (`ParameterSet`) calls `bind`
/// once with pointers to this object's slice, laid out in `parameterSpecs` order.
public protocol ParameterOwner: AnyObject {
    var parameterSpecs: [ParameterSpec] { get }
    func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
    /// Draws initial values (called after `bind`).
    func initializeParameters(_ rng: inout SeededRandom)
}

/// A layer over time-major sequences of vectors: `[steps, batch, inputSize]` in,
/// `[steps, batch, outputSize]` out, for any `steps <= maxSteps`.
///
/// Contract: `forward` returns a layer-owned buffer valid until the next `forward`; the input
/// pointer must stay valid and unchanged until the matching `backward`. `backward` takes dL/dy,
/// **adds** parameter gradients into the bound gradient slice and returns dL/dx (layer-owned).
public protocol SequenceLayer: ParameterOwner {
    var inputSize: Int { get }
    var outputSize: Int { get }
    var batch: Int { get }
    var maxSteps: Int { get }
    func forward(_ x: UnsafePointer<Float>, steps: Int, training: Bool) -> UnsafeMutablePointer<Float>
    func backward(_ dy: UnsafePointer<Float>, steps: Int) -> UnsafeMutablePointer<Float>
    /// Zeroes the carried recurrent state of every stream (no-op for stateless layers).
    func resetState()
    /// Zeroes the carried state of one stream.
    func resetState(stream: Int)
    /// The carried state tensors (e.g. h and c, each `[batch, hidden]`), for checkpoints.
    var stateBuffers: [FloatBuffer] { get }
}

public extension SequenceLayer {
    func resetState() { for s in stateBuffers { s.zero() } }
    func resetState(stream: Int) {
        for s in stateBuffers {
            let w = s.count / batch
            (s.pointer + stream * w).update(repeating: 0, count: w)
        }
    }
}

/// All parameters of a model in one flat value buffer and one flat gradient buffer, with the name
/// and offset of every tensor (for checkpoints). Layers are bound to their slices on creation.
public final class ParameterSet {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    public let values: FloatBuffer
    public let gradients: FloatBuffer
    public let entries: [Entry]
    private let owners: [ParameterOwner]

    public var count: Int { values.count }

    /// Lays out the owners' tensors in order; names become "prefix.tensor". `sharing` binds the
    /// owners to another set's buffers instead of new ones (the same layout is required): a
    /// generation copy then costs its state, not its weights (the shipped word model's copy fell
    /// from ~55 MB to a few), and every copy reads weights the loader wrote once. Such a set is
    /// for inference only: its gradients are the source's, so training it would race.
    public init(_ named: [(String, ParameterOwner)], sharing source: ParameterSet? = nil) {
        var entries = [Entry]()
        var offset = 0
        var starts = [Int]()
        for (prefix, owner) in named {
            starts.append(offset)
            for spec in owner.parameterSpecs {
                entries.append(Entry(name: prefix + "." + spec.name, shape: spec.shape, offset: offset))
                offset += spec.count
            }
        }
        precondition(Set(entries.map(\.name)).count == entries.count, "duplicate parameter names")
        self.entries = entries
        if let source {
            precondition(source.entries == entries, "a shared parameter set needs the same layout")
            values = source.values
            gradients = source.gradients
        } else {
            values = FloatBuffer(count: offset)
            gradients = FloatBuffer(count: offset)
        }
        owners = named.map(\.1)
        for (i, owner) in owners.enumerated() {
            owner.bind(parameters: values.pointer + starts[i], gradients: gradients.pointer + starts[i])
        }
    }

    /// Initialises every owner in order from one generator (deterministic for a seed).
    public func initialize(_ rng: inout SeededRandom) {
        for o in owners { o.initializeParameters(&rng) }
    }

    public func zeroGradients() { gradients.zero() }

    /// Euclidean norm of the whole gradient: squares summed sixteen lanes at a time in Float
    /// over 256 values, then in Double, in fixed blocks whose sums are added in order, so the
    /// result does not depend on how many threads share the blocks.
    public func gradientNorm() -> Double {
        let g = gradients.pointer, n = count, block = 1 << 14
        let blocks = (n + block - 1) / block
        var sums = [Double](repeating: 0, count: blocks)
        sums.withUnsafeMutableBufferPointer { sp in
            Parallel.split(blocks, parts: n >= 1 << 18 ? BLAS.threads : 1, align: 1) { b0, b1 in
                for b in b0..<b1 { sp[b] = Self.sumOfSquares(g + b * block, min(block, n - b * block)) }
            }
        }
        return sums.reduce(0, +).squareRoot()
    }

    private static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        let raw = UnsafeRawPointer(x)
        var total = 0.0, i = 0
        while i + 16 <= n {
            var acc = SIMD16<Float>(repeating: 0)
            let end = min(n - n % 16, i + 256)
            while i < end {
                let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                acc += v * v
                i += 16
            }
            total += Double(acc.sum())
        }
        while i < n { total += Double(x[i]) * Double(x[i]); i += 1 }
        return total
    }

    /// Scales the gradient so its global norm is at most `maxNorm`; returns the norm before.
    @discardableResult
    public func clipGradients(maxNorm: Float) -> Double {
        let norm = gradientNorm()
        if maxNorm > 0, norm > Double(maxNorm) {
            BLAS.scale(count, Float(Double(maxNorm) / norm), gradients.pointer)
        }
        return norm
    }

    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The values of one tensor.
    public func values(of name: String) -> UnsafeMutableBufferPointer<Float>? {
        guard let e = entry(named: name) else { return nil }
        return UnsafeMutableBufferPointer(start: values.pointer + e.offset, count: e.count)
    }
}
