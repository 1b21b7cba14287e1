import LyricsCore

/// A generator shared by the stochastic layers of one model, so a checkpoint stores one state and
/// a resumed run draws the same masks.
public final class RandomSource {
    public var rng: SeededRandom
    public init(seed: UInt64) { rng = SeededRandom(seed: seed) }
}

/// Inverted dropout: in training each value is kept with probability 1 - rate and scaled by
/// 1 / (1 - rate), so inference is the identity. The mask is stored for `backward`;
/// `freezeMask` reuses the previous mask (finite-difference tests need a fixed function).
public final class Dropout: SequenceLayer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public let batch: Int
    public let maxSteps: Int
    public let rate: Float
    public var freezeMask = false
    private let random: RandomSource
    private let mask: FloatBuffer, y: FloatBuffer, dx: FloatBuffer
    private var lastTraining = false

    public init(size: Int, rate: Float, batch: Int, maxSteps: Int, random: RandomSource) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        inputSize = size
        self.rate = rate
        self.batch = batch
        self.maxSteps = maxSteps
        self.random = random
        mask = FloatBuffer(count: size * batch * maxSteps)
        y = FloatBuffer(count: size * batch * maxSteps)
        dx = FloatBuffer(count: size * batch * maxSteps)
    }

    public var parameterSpecs: [ParameterSpec] { [] }
    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>) {}
    public func initializeParameters(_ rng: inout SeededRandom) {}
    public var stateBuffers: [FloatBuffer] { [] }

    public func forward(_ x: UnsafePointer<Float>, steps: Int, training: Bool) -> UnsafeMutablePointer<Float> {
        let n = steps * batch * inputSize
        lastTraining = training && rate > 0
        guard lastTraining else {
            y.pointer.update(from: x, count: n)
            return y.pointer
        }
        let m = mask.pointer
        if !freezeMask {
            let scale = 1 / (1 - rate)
            for i in 0..<n { m[i] = random.rng.nextFloat() < rate ? 0 : scale }
        }
        for i in 0..<n { y.pointer[i] = x[i] * m[i] }
        return y.pointer
    }

    public func backward(_ dy: UnsafePointer<Float>, steps: Int) -> UnsafeMutablePointer<Float> {
        let n = steps * batch * inputSize
        if lastTraining {
            for i in 0..<n { dx.pointer[i] = dy[i] * mask.pointer[i] }
        } else {
            dx.pointer.update(from: dy, count: n)
        }
        return dx.pointer
    }
}
