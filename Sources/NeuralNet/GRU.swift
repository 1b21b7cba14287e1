import LyricsCore

/// Gated recurrent unit in the "reset after" form Keras and cuDNN use, gate order z, r, n:
/// `z = σ(x Wxz + bxz + h Whz + bhz)`, `r = σ(...)`, `n = tanh(x Wxn + bxn + r ⊙ (h Whn + bhn))`,
/// `h' = z ⊙ h + (1 - z) ⊙ n`. Applying r after the recurrent product lets all three recurrent
/// gates share one sgemm per step, like the input projection over all steps.
public final class GRU: SequenceLayer {
    public let inputSize: Int
    public let hiddenSize: Int
    public let batch: Int
    public let maxSteps: Int
    public var outputSize: Int { hiddenSize }

    private var wx: UnsafeMutablePointer<Float>!, wh: UnsafeMutablePointer<Float>!
    private var bx: UnsafeMutablePointer<Float>!, bh: UnsafeMutablePointer<Float>!
    private var dwx: UnsafeMutablePointer<Float>!, dwh: UnsafeMutablePointer<Float>!
    private var dbx: UnsafeMutablePointer<Float>!, dbh: UnsafeMutablePointer<Float>!

    private let gx: FloatBuffer     // [T*B, 3H] input projection; z, r, n activations after forward
    private let rec: FloatBuffer    // [T*B, 3H] recurrent projection h Wh + bh
    private let dGx: FloatBuffer, dGh: FloatBuffer // [T*B, 3H]
    private let hs: FloatBuffer     // [(T+1)*B, H]
    private let dx: FloatBuffer     // [T*B, in]
    private let dhNext: FloatBuffer // [B, H]
    private let h0: FloatBuffer
    private var input: UnsafePointer<Float>?

    public init(inputSize: Int, hiddenSize: Int, batch: Int, maxSteps: Int) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.batch = batch
        self.maxSteps = maxSteps
        let n = maxSteps * batch, h = hiddenSize
        gx = FloatBuffer(count: n * 3 * h)
        rec = FloatBuffer(count: n * 3 * h)
        dGx = FloatBuffer(count: n * 3 * h)
        dGh = FloatBuffer(count: n * 3 * h)
        hs = FloatBuffer(count: (n + batch) * h)
        dx = FloatBuffer(count: n * inputSize)
        dhNext = FloatBuffer(count: batch * h)
        h0 = FloatBuffer(count: batch * h)
    }

    public var parameterSpecs: [ParameterSpec] {
        let g = 3 * hiddenSize
        return [ParameterSpec("Wx", [inputSize, g]), ParameterSpec("Wh", [hiddenSize, g]),
                ParameterSpec("bx", [g]), ParameterSpec("bh", [g])]
    }

    public func bind(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>) {
        let nx = inputSize * 3 * hiddenSize, nh = hiddenSize * 3 * hiddenSize, nb = 3 * hiddenSize
        wx = p; wh = p + nx; bx = p + nx + nh; bh = p + nx + nh + nb
        dwx = g; dwh = g + nx; dbx = g + nx + nh; dbh = g + nx + nh + nb
    }

    public func initializeParameters(_ rng: inout SeededRandom) {
        let h = hiddenSize
        Initializer.glorotUniform(wx, fanIn: inputSize, fanOut: 3 * h, count: inputSize * 3 * h, rng: &rng)
        for k in 0..<3 { Initializer.orthogonal(wh, n: h, ld: 3 * h, col: k * h, rng: &rng) }
        bx.update(repeating: 0, count: 3 * h)
        bh.update(repeating: 0, count: 3 * h)
    }

    public var stateBuffers: [FloatBuffer] { [h0] }

    public func forward(_ x: UnsafePointer<Float>, steps: Int, training: Bool) -> UnsafeMutablePointer<Float> {
        precondition(steps >= 1 && steps <= maxSteps, "GRU: steps \(steps) outside 1...\(maxSteps)")
        input = x
        let B = batch, H = hiddenSize, G = 3 * H, n = steps * B
        hs.pointer.update(from: h0.pointer, count: B * H)
        broadcastRows(bx, rows: n, cols: G, into: gx.pointer)
        BLAS.gemm(false, false, n, G, inputSize, 1, x, inputSize, wx, G, 1, gx.pointer, G)
        let gxp = gx.pointer, recp = rec.pointer, hsp = hs.pointer
        let whp: UnsafePointer<Float> = UnsafePointer(wh), bhp: UnsafePointer<Float> = UnsafePointer(bh)
        parallelRows(B) { r0, r1 in
            for t in 0..<steps {
                let a = gxp + t * B * G, rc = recp + t * B * G
                let hPrev = hsp + t * B * H, hOut = hsp + (t + 1) * B * H
                broadcastRows(bhp, rows: r1 - r0, cols: G, into: rc + r0 * G)
                BLAS.gemm(false, false, r1 - r0, G, H, 1, hPrev + r0 * H, H, whp, G, 1, rc + r0 * G, G)
                for r in r0..<r1 {
                    let ar = a + r * G, rr = rc + r * G
                    for j in 0..<(2 * H) { ar[j] += rr[j] }
                    Activation.sigmoid(ar, 2 * H)
                    for j in 0..<H { ar[2 * H + j] += ar[H + j] * rr[2 * H + j] }
                    Activation.tanh(ar + 2 * H, H)
                    let hp = hPrev + r * H, ho = hOut + r * H
                    for j in 0..<H {
                        let z = ar[j]
                        ho[j] = z * hp[j] + (1 - z) * ar[2 * H + j]
                    }
                }
            }
        }
        h0.pointer.update(from: hs.pointer + steps * B * H, count: B * H)
        return hs.pointer + B * H
    }

    public func backward(_ dy: UnsafePointer<Float>, steps: Int) -> UnsafeMutablePointer<Float> {
        guard let x = input else { preconditionFailure("GRU.backward before forward") }
        let B = batch, H = hiddenSize, G = 3 * H, n = steps * B
        dhNext.zero()
        let dhn = dhNext.pointer
        let gxp = gx.pointer, recp = rec.pointer, dgxp = dGx.pointer, dghp = dGh.pointer, hsp = hs.pointer
        let whp: UnsafePointer<Float> = UnsafePointer(wh)
        parallelRows(B) { r0, r1 in
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let a = gxp + t * B * G, rc = recp + t * B * G
                let dgx = dgxp + t * B * G, dgh = dghp + t * B * G
                let hPrev = hsp + t * B * H
                let dyt = dy + t * B * H
                for r in r0..<r1 {
                    let ar = a + r * G, rr = rc + r * G, hp = hPrev + r * H
                    let dxr = dgx + r * G, dhr = dgh + r * G, dyr = dyt + r * H, dnr = dhn + r * H
                    for j in 0..<H {
                        let z = ar[j], rg = ar[H + j], nn = ar[2 * H + j]
                        let dh = dyr[j] + dnr[j]
                        let dnp = dh * (1 - z) * (1 - nn * nn)
                        let dzp = dh * (hp[j] - nn) * z * (1 - z)
                        let drp = dnp * rr[2 * H + j] * rg * (1 - rg)
                        dxr[j] = dzp; dxr[H + j] = drp; dxr[2 * H + j] = dnp
                        dhr[j] = dzp; dhr[H + j] = drp; dhr[2 * H + j] = dnp * rg
                        dnr[j] = dh * z
                    }
                }
                if t > 0 {
                    BLAS.gemm(false, true, r1 - r0, H, G, 1, dgh + r0 * G, G, whp, G, 1, dhn + r0 * H, H)
                }
            }
        }
        BLAS.gemm(true, false, inputSize, G, n, 1, x, inputSize, dGx.pointer, G, 1, dwx, G)
        addColumnSums(dGx.pointer, rows: n, cols: G, into: dbx)
        BLAS.gemm(true, false, H, G, n, 1, hs.pointer, H, dGh.pointer, G, 1, dwh, G)
        addColumnSums(dGh.pointer, rows: n, cols: G, into: dbh)
        BLAS.gemm(false, true, n, inputSize, G, 1, dGx.pointer, G, wx, G, 0, dx.pointer, inputSize)
        return dx.pointer
    }
}
