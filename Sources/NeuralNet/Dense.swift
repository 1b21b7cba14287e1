import LyricsCore

/// Affine layer `y = x W + b` applied to every row of a `[rows, in]` buffer (for sequences,
/// rows = steps x batch, so one sgemm covers the whole chunk). `W [in, out]`, `b [out]`.
public final class Dense: SequenceLayer {
    public let inputSize: Int
    public let outputSize: Int
    public let batch: Int
    public let maxSteps: Int
    /// Initialise the weights to zero (an untrained model that predicts uniformly).
    public var zeroInitialization = false

    private var w: UnsafeMutablePointer<Float>!, b: UnsafeMutablePointer<Float>!
    private var dw: UnsafeMutablePointer<Float>!, db: UnsafeMutablePointer<Float>!
    private let y: FloatBuffer, dx: FloatBuffer
    private var input: UnsafePointer<Float>?

    /// A dense layer over `batch * maxSteps` rows (use batch = rows, maxSteps = 1 for plain matrices).
    public init(inputSize: Int, outputSize: Int, batch: Int, maxSteps: Int) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.batch = batch
        self.maxSteps = maxSteps
        y = FloatBuffer(count: batch * maxSteps * outputSize)
        dx = FloatBuffer(count: batch * maxSteps * inputSize)
    }

    public var parameterSpecs: [ParameterSpec] {
        [ParameterSpec("W", [inputSize, outputSize]), ParameterSpec("b", [outputSize])]
    }

    public func bind(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>) {
        w = p; b = p + inputSize * outputSize
        dw = g; db = g + inputSize * outputSize
    }

    public func initializeParameters(_ rng: inout SeededRandom) {
        if zeroInitialization {
            w.update(repeating: 0, count: inputSize * outputSize)
        } else {
            Initializer.glorotUniform(w, fanIn: inputSize, fanOut: outputSize, count: inputSize * outputSize, rng: &rng)
        }
        b.update(repeating: 0, count: outputSize)
    }

    public var stateBuffers: [FloatBuffer] { [] }

    public func forward(_ x: UnsafePointer<Float>, steps: Int, training: Bool) -> UnsafeMutablePointer<Float> {
        precondition(steps >= 1 && steps <= maxSteps, "Dense: steps \(steps) outside 1...\(maxSteps)")
        input = x
        let n = steps * batch
        broadcastRows(b, rows: n, cols: outputSize, into: y.pointer)
        BLAS.gemm(false, false, n, outputSize, inputSize, 1, x, inputSize, w, outputSize, 1, y.pointer, outputSize)
        return y.pointer
    }

    public func backward(_ dy: UnsafePointer<Float>, steps: Int) -> UnsafeMutablePointer<Float> {
        guard let x = input else { preconditionFailure("Dense.backward before forward") }
        let n = steps * batch
        BLAS.gemm(true, false, inputSize, outputSize, n, 1, x, inputSize, dy, outputSize, 1, dw, outputSize)
        addColumnSums(dy, rows: n, cols: outputSize, into: db)
        BLAS.gemm(false, true, n, inputSize, outputSize, 1, dy, outputSize, w, outputSize, 0, dx.pointer, inputSize)
        return dx.pointer
    }
}

/// Token embedding: a `[vocab, dim]` table whose rows are looked up by id. It reads ids rather
/// than vectors, so it sits in front of a `LayerStack` instead of inside it.
public final class Embedding: ParameterOwner {
    public let vocabularySize: Int
    public let dimension: Int
    public let batch: Int
    public let maxSteps: Int

    private var table: UnsafeMutablePointer<Float>!, dTable: UnsafeMutablePointer<Float>!
    private let y: FloatBuffer
    private let ids: UnsafeMutablePointer<Int32>

    public init(vocabularySize: Int, dimension: Int, batch: Int, maxSteps: Int) {
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        self.batch = batch
        self.maxSteps = maxSteps
        y = FloatBuffer(count: batch * maxSteps * dimension)
        ids = .allocate(capacity: batch * maxSteps)
        ids.initialize(repeating: 0, count: batch * maxSteps)
    }

    deinit { ids.deallocate() }

    public var parameterSpecs: [ParameterSpec] { [ParameterSpec("table", [vocabularySize, dimension])] }

    public func bind(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>) {
        table = p; dTable = g
    }

    /// Standard normal, as PyTorch's `nn.Embedding`: unit-scale inputs drive the first layer's
    /// gates from the first step. (Keras' U(-0.05, 0.05) leaves the input path nearly silent, and
    /// with Adam moving each weight ~lr per step it takes hundreds of steps to wake up.)
    public func initializeParameters(_ rng: inout SeededRandom) {
        for i in 0..<(vocabularySize * dimension) { table[i] = rng.nextGaussian() }
    }

    /// Looks up `steps * batch` ids (time-major) into `[steps, batch, dim]`.
    public func forward(_ tokenIDs: UnsafePointer<Int32>, steps: Int) -> UnsafeMutablePointer<Float> {
        precondition(steps >= 1 && steps <= maxSteps, "Embedding: steps \(steps) outside 1...\(maxSteps)")
        let n = steps * batch, d = dimension
        ids.update(from: tokenIDs, count: n)
        for r in 0..<n {
            let id = Int(tokenIDs[r])
            precondition(id >= 0 && id < vocabularySize, "Embedding: id \(id) outside vocabulary")
            (y.pointer + r * d).update(from: table + id * d, count: d)
        }
        return y.pointer
    }

    /// Adds dL/dy rows into the rows of the looked-up ids.
    public func backward(_ dy: UnsafePointer<Float>, steps: Int) {
        let n = steps * batch, d = dimension
        for r in 0..<n {
            let row = dTable + Int(ids[r]) * d, g = dy + r * d
            for j in 0..<d { row[j] += g[j] }
        }
    }
}
