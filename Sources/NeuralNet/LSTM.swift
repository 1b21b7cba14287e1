import LyricsCore

/// Long short-term memory layer, gate order i, f, g, o (as Keras), weights `Wx [in, 4H]`,
/// `Wh [H, 4H]`, bias `b [4H]`. The input projection of all steps is one sgemm; each step adds
/// its recurrent sgemm then applies the gates. Forget-gate bias starts at 1 (Jozefowicz et al.)
/// and each gate's recurrent block starts orthogonal, as Keras does.
///
/// In `bf16` precision the weights are packed once per chunk (Wx and Wh forward, their
/// transposes backward), the products run on the bf16 kernels and, with more than one thread,
/// each thread runs the step loop for its own share of the streams (they are independent through
/// time), so the only synchronisation is at the chunk's large products.
public final class LSTM: SequenceLayer {
    public let inputSize: Int
    public let hiddenSize: Int
    public let batch: Int
    public let maxSteps: Int
    public var outputSize: Int { hiddenSize }

    private var wx: UnsafeMutablePointer<Float>!, wh: UnsafeMutablePointer<Float>!, b: UnsafeMutablePointer<Float>!
    private var dwx: UnsafeMutablePointer<Float>!, dwh: UnsafeMutablePointer<Float>!, db: UnsafeMutablePointer<Float>!

    private let gates: FloatBuffer     // [T*B, 4H] activated gates
    private let dGates: FloatBuffer    // [T*B, 4H]
    private let hs: FloatBuffer        // [(T+1)*B, H]; slot 0 is the initial state
    private let cs: FloatBuffer        // [(T+1)*B, H]
    private let tanhC: FloatBuffer     // [T*B, H]
    private let dx: FloatBuffer        // [T*B, in]
    private let dcNext: FloatBuffer, dhNext: FloatBuffer // [B, H]
    private let h0: FloatBuffer, c0: FloatBuffer  // carried state [B, H]
    private var input: UnsafePointer<Float>?
    /// The precision of the products (the layer of a training model; evaluation stays fp32).
    public var precision = Precision.fp32 { didSet { matmul = MatMul(precision); packed = false } }
    /// The weights do not change between calls (a generation model): bf16 packs them on the
    /// first forward and reuses the packing, instead of once per chunk as training must.
    /// Whoever changes the weights of a frozen layer sets it again (which repacks).
    public var frozen = false { didSet { packed = false } }
    private var packed = false
    private var matmul = MatMul(.fp32)
    private let packedInput = PackedMatrix(), packedRecurrent = PackedMatrix(), packedGates = PackedMatrix()

    public init(inputSize: Int, hiddenSize: Int, batch: Int, maxSteps: Int) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.batch = batch
        self.maxSteps = maxSteps
        let n = maxSteps * batch, h = hiddenSize
        gates = FloatBuffer(count: n * 4 * h)
        dGates = FloatBuffer(count: n * 4 * h)
        hs = FloatBuffer(count: (n + batch) * h)
        cs = FloatBuffer(count: (n + batch) * h)
        tanhC = FloatBuffer(count: n * h)
        dx = FloatBuffer(count: n * inputSize)
        dcNext = FloatBuffer(count: batch * h)
        dhNext = FloatBuffer(count: batch * h)
        h0 = FloatBuffer(count: batch * h)
        c0 = FloatBuffer(count: batch * h)
    }

    public var parameterSpecs: [ParameterSpec] {
        [ParameterSpec("Wx", [inputSize, 4 * hiddenSize]), ParameterSpec("Wh", [hiddenSize, 4 * hiddenSize]),
         ParameterSpec("b", [4 * hiddenSize])]
    }

    public func bind(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>) {
        let nx = inputSize * 4 * hiddenSize, nh = hiddenSize * 4 * hiddenSize
        wx = p; wh = p + nx; b = p + nx + nh
        dwx = g; dwh = g + nx; db = g + nx + nh
    }

    public func initializeParameters(_ rng: inout SeededRandom) {
        let h = hiddenSize
        Initializer.glorotUniform(wx, fanIn: inputSize, fanOut: 4 * h, count: inputSize * 4 * h, rng: &rng)
        for k in 0..<4 { Initializer.orthogonal(wh, n: h, ld: 4 * h, col: k * h, rng: &rng) }
        b.update(repeating: 0, count: 4 * h)
        (b + h).update(repeating: 1, count: h)
    }

    public var stateBuffers: [FloatBuffer] { [h0, c0] }

    public func forward(_ x: UnsafePointer<Float>, steps: Int, training: Bool) -> UnsafeMutablePointer<Float> {
        precondition(steps >= 1 && steps <= maxSteps, "LSTM: steps \(steps) outside 1...\(maxSteps)")
        input = x
        let B = batch, H = hiddenSize, G = 4 * H, n = steps * B
        hs.pointer.update(from: h0.pointer, count: B * H)
        cs.pointer.update(from: c0.pointer, count: B * H)
        let gp = gates.pointer
        broadcastRows(b, rows: n, cols: G, into: gp)
        let repack = !(frozen && packed)
        matmul.prepare(transposed: false, k: inputSize, n: G, wx, ldb: G, into: packedInput, repack: repack)
            .multiply(m: n, x, lda: inputSize, beta: 1, gp, ldc: G, parts: matmul.parts)
        let hsp = hs.pointer, csp = cs.pointer, tcp = tanhC.pointer, whp: UnsafePointer<Float> = UnsafePointer(wh)
        let recurrent = matmul.prepare(transposed: false, k: H, n: G, whp, ldb: G, into: packedRecurrent, repack: repack)
        packed = frozen
        parallelRows(B, always: precision == .bf16) { r0, r1 in
            for t in 0..<steps {
                let gt = gp + t * B * G
                let hPrev = hsp + t * B * H, cPrev = csp + t * B * H
                let hOut = hsp + (t + 1) * B * H, cOut = csp + (t + 1) * B * H
                let tc = tcp + t * B * H
                recurrent.multiply(m: r1 - r0, hPrev + r0 * H, lda: H, beta: 1, gt + r0 * G, ldc: G)
                for r in r0..<r1 {
                    let g = gt + r * G
                    Activation.sigmoid(g, 2 * H)
                    Activation.tanh(g + 2 * H, H)
                    Activation.sigmoid(g + 3 * H, H)
                    let cp = cPrev + r * H, co = cOut + r * H
                    for j in 0..<H { co[j] = g[H + j] * cp[j] + g[j] * g[2 * H + j] }
                    Activation.tanh(co, into: tc + r * H, H)
                    let ho = hOut + r * H, tcr = tc + r * H
                    for j in 0..<H { ho[j] = g[3 * H + j] * tcr[j] }
                }
            }
        }
        h0.pointer.update(from: hs.pointer + steps * B * H, count: B * H)
        c0.pointer.update(from: cs.pointer + steps * B * H, count: B * H)
        return hs.pointer + B * H
    }

    public func backward(_ dy: UnsafePointer<Float>, steps: Int) -> UnsafeMutablePointer<Float> {
        guard let x = input else { preconditionFailure("LSTM.backward before forward") }
        let B = batch, H = hiddenSize, G = 4 * H, n = steps * B
        dhNext.zero()
        dcNext.zero()
        let dcn = dcNext.pointer, dhn = dhNext.pointer
        let gp = gates.pointer, dgp = dGates.pointer, csp = cs.pointer, tcp = tanhC.pointer
        let whp: UnsafePointer<Float> = UnsafePointer(wh)
        let recurrentT = matmul.prepare(transposed: true, k: G, n: H, whp, ldb: G, into: packedRecurrent)
        parallelRows(B, always: precision == .bf16) { r0, r1 in
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let gt = gp + t * B * G, dgt = dgp + t * B * G
                let cPrev = csp + t * B * H
                let tc = tcp + t * B * H
                let dyt = dy + t * B * H
                for r in r0..<r1 {
                    let g = gt + r * G, dg = dgt + r * G
                    let cp = cPrev + r * H, tcr = tc + r * H
                    let dyr = dyt + r * H, dcr = dcn + r * H, dhnr = dhn + r * H
                    for j in 0..<H {
                        let i = g[j], f = g[H + j], gg = g[2 * H + j], o = g[3 * H + j]
                        let dhj = dyr[j] + dhnr[j]
                        let tcj = tcr[j]
                        let dc = dcr[j] + dhj * o * (1 - tcj * tcj)
                        dg[j] = dc * gg * i * (1 - i)
                        dg[H + j] = dc * cp[j] * f * (1 - f)
                        dg[2 * H + j] = dc * i * (1 - gg * gg)
                        dg[3 * H + j] = dhj * tcj * o * (1 - o)
                        dcr[j] = dc * f
                    }
                }
                if t > 0 {
                    recurrentT.multiply(m: r1 - r0, dgt + r0 * G, lda: G, beta: 0, dhn + r0 * H, ldc: H)
                }
            }
        }
        let dg = dGates.pointer
        // dWx and dWh share one preparation (in bf16, one packing) of the gate gradients.
        let gateGradients = matmul.prepare(transposed: false, k: n, n: G, dg, ldb: G, into: packedGates)
        gateGradients.multiply(transA: true, m: inputSize, x, lda: inputSize, beta: 1, dwx, ldc: G, parts: matmul.parts)
        gateGradients.multiply(transA: true, m: H, hs.pointer, lda: H, beta: 1, dwh, ldc: G, parts: matmul.parts)
        addColumnSums(dg, rows: n, cols: G, into: db)
        matmul.gemm(false, true, n, inputSize, G, 1, dg, G, wx, G, 0, dx.pointer, inputSize, pack: packedInput)
        return dx.pointer
    }
}
