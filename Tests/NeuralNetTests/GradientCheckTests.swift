import XCTest
import LyricsCore
@testable import NeuralNet

/// Finite-difference checks of every layer's backward pass.
///
/// Method: central differences `(L(θ+ε) - L(θ-ε)) / 2ε` with ε = 5e-3 on a scalar loss
/// `L = Σ wᵢ yᵢ` with fixed random weights w (an arbitrary upstream gradient, the way a custom loss
/// drives the stack), or the softmax cross-entropy itself. Every parameter and every input value is
/// checked. Forward passes run in Float32, so the tolerance is |analytic - numeric| ≤ 2e-4 +
/// 2e-3·|numeric|: Float32 round-off in L (~1e-7·|L|) becomes ~1e-5 of noise in the numeric
/// estimate at ε = 5e-3, and the O(ε²) truncation term is of the same order; measured worst cases
/// are ~0.1 of the tolerance (printed per check). A gradient off by 5% in one gate fails.
final class GradientCheckTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }
    static let eps: Float = 5e-3
    static let atol = 2e-4
    static let rtol = 2e-3

    /// `run(x, backward)` returns the loss and, when `backward`, dL/dx (parameter gradients
    /// accumulated into `params`). Checks every parameter and every x entry.
    func check(_ name: String, params: ParameterSet, x: [Float], file: StaticString = #filePath, line: UInt = #line,
               run: ([Float], Bool) -> (Double, [Float])) {
        params.zeroGradients()
        let (_, dx) = run(x, true)
        let analytic = params.gradients.array
        var worst = 0.0
        func compare(_ a: Double, _ n: Double, _ what: String) {
            let err = abs(a - n)
            worst = max(worst, err / (Self.atol + Self.rtol * abs(n)))
            if err > Self.atol + Self.rtol * abs(n) {
                XCTFail("\(name): \(what) analytic \(a) numeric \(n)", file: file, line: line)
            }
        }
        let p = params.values.pointer
        for i in 0..<params.count {
            let saved = p[i]
            p[i] = saved + Self.eps
            let lp = run(x, false).0
            p[i] = saved - Self.eps
            let lm = run(x, false).0
            p[i] = saved
            compare(Double(analytic[i]), (lp - lm) / Double(2 * Self.eps), "parameter \(i)")
        }
        var xx = x
        for i in x.indices {
            xx[i] = x[i] + Self.eps
            let lp = run(xx, false).0
            xx[i] = x[i] - Self.eps
            let lm = run(xx, false).0
            xx[i] = x[i]
            compare(Double(dx[i]), (lp - lm) / Double(2 * Self.eps), "input \(i)")
        }
        print("gradient check \(name): worst error / tolerance = \(worst)")
        XCTAssertLessThan(worst, 1, "\(name): worst error / tolerance", file: file, line: line)
    }

    static func randomArray(_ n: Int, _ rng: inout SeededRandom, scale: Float = 1) -> [Float] {
        (0..<n).map { _ in (rng.nextFloat() * 2 - 1) * scale }
    }

    /// Checks a sequence layer under `L = Σ w y`, with the given initial recurrent state.
    func checkLayer(_ name: String, _ layer: SequenceLayer, steps: Int, seed: UInt64 = 1, line: UInt = #line) {
        let params = ParameterSet([(name, layer)])
        var rng = SeededRandom(seed: seed)
        params.initialize(&rng)
        // Perturb biases etc. away from special values so every term is exercised.
        for i in 0..<params.count { params.values.pointer[i] += (rng.nextFloat() - 0.5) * 0.2 }
        let x = Self.randomArray(steps * layer.batch * layer.inputSize, &rng)
        let w = Self.randomArray(steps * layer.batch * layer.outputSize, &rng)
        let initialState = layer.stateBuffers.map { Self.randomArray($0.count, &rng, scale: 0.5) }
        check(name, params: params, x: x, line: line) { xs, backward in
            for (s, v) in zip(layer.stateBuffers, initialState) { s.copy(from: v) }
            return xs.withUnsafeBufferPointer { xp in
                let y = layer.forward(xp.baseAddress!, steps: steps, training: true)
                var l = 0.0
                for i in 0..<w.count { l += Double(w[i]) * Double(y[i]) }
                guard backward else { return (l, []) }
                let dx = w.withUnsafeBufferPointer { layer.backward($0.baseAddress!, steps: steps) }
                return (l, Array(UnsafeBufferPointer(start: dx, count: xs.count)))
            }
        }
    }

    func testDense() {
        checkLayer("dense", Dense(inputSize: 5, outputSize: 4, batch: 3, maxSteps: 2), steps: 2)
    }

    func testLSTM() {
        checkLayer("lstm", LSTM(inputSize: 3, hiddenSize: 4, batch: 2, maxSteps: 5), steps: 5)
        // Fewer steps than allocated must work too.
        checkLayer("lstm-short", LSTM(inputSize: 2, hiddenSize: 3, batch: 3, maxSteps: 6), steps: 3, seed: 2)
    }

    func testGRU() {
        checkLayer("gru", GRU(inputSize: 3, hiddenSize: 4, batch: 2, maxSteps: 5), steps: 5)
        checkLayer("gru-short", GRU(inputSize: 2, hiddenSize: 3, batch: 3, maxSteps: 6), steps: 3, seed: 2)
    }

    /// The recurrent loops split the batch across threads when OpenBLAS has more than one; the
    /// gradients must still check, and match the one-thread run to Float32 round-off.
    func testRecurrentLayersWithTwoThreads() {
        BLAS.setThreads(2)
        let wasSplit = splitStreams
        splitStreams = true
        defer { BLAS.setThreads(1); splitStreams = wasSplit }
        checkLayer("lstm-2threads", LSTM(inputSize: 3, hiddenSize: 4, batch: 5, maxSteps: 4), steps: 4, seed: 3)
        checkLayer("gru-2threads", GRU(inputSize: 3, hiddenSize: 4, batch: 5, maxSteps: 4), steps: 4, seed: 3)
        for make in [{ LSTM(inputSize: 4, hiddenSize: 9, batch: 7, maxSteps: 6) as SequenceLayer },
                     { GRU(inputSize: 4, hiddenSize: 9, batch: 7, maxSteps: 6) as SequenceLayer }] {
            var results = [[Float]]()
            for threads in [1, 2] {
                BLAS.setThreads(threads)
                let layer = make()
                let params = ParameterSet([("l", layer)])
                var rng = SeededRandom(seed: 11)
                params.initialize(&rng)
                let x = Self.randomArray(6 * 7 * 4, &rng), w = Self.randomArray(6 * 7 * 9, &rng)
                let y = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: layer.forward($0.baseAddress!, steps: 6, training: true), count: w.count)) }
                let dx = w.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: layer.backward($0.baseAddress!, steps: 6), count: x.count)) }
                results.append(y + dx + params.gradients.array)
            }
            for (a, b) in zip(results[0], results[1]) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(a))) }
        }
    }

    func testDropoutWithFixedMask() {
        let d = Dropout(size: 6, rate: 0.4, batch: 2, maxSteps: 3, random: RandomSource(seed: 9))
        let x = [Float](repeating: 1, count: 36)
        _ = x.withUnsafeBufferPointer { d.forward($0.baseAddress!, steps: 3, training: true) }
        d.freezeMask = true
        checkLayer("dropout", d, steps: 3)
    }

    func testEmbedding() {
        let e = Embedding(vocabularySize: 6, dimension: 3, batch: 2, maxSteps: 4)
        let params = ParameterSet([("emb", e)])
        var rng = SeededRandom(seed: 3)
        params.initialize(&rng)
        let ids: [Int32] = [0, 5, 2, 2, 5, 1, 3, 0]   // repeated ids must accumulate
        let w = Self.randomArray(8 * 3, &rng)
        check("embedding", params: params, x: []) { _, backward in
            let y = ids.withUnsafeBufferPointer { e.forward($0.baseAddress!, steps: 4) }
            var l = 0.0
            for i in 0..<w.count { l += Double(w[i]) * Double(y[i]) }
            if backward { w.withUnsafeBufferPointer { e.backward($0.baseAddress!, steps: 4) } }
            return (l, [])
        }
    }

    func testSoftmaxCrossEntropy() {
        var rng = SeededRandom(seed: 4)
        let rows = 5, classes = 7
        let logits = Self.randomArray(rows * classes, &rng, scale: 3)
        let targets: [Int32] = [0, 6, 3, 3, 1]
        var grad = [Float](repeating: 0, count: logits.count)
        let empty = ParameterSet([])
        check("softmax-xent", params: empty, x: logits) { z, backward in
            let l = z.withUnsafeBufferPointer { zp in
                targets.withUnsafeBufferPointer { tp in
                    grad.withUnsafeMutableBufferPointer { gp in
                        SoftmaxCrossEntropy.loss(logits: zp.baseAddress!, targets: tp.baseAddress!, rows: rows, classes: classes,
                                                 gradient: backward ? gp.baseAddress! : nil, gradScale: 1 / Float(rows))
                    }
                }
            }
            return (l / Double(rows), grad)
        }
    }

    /// Embedding → LSTM → dropout (fixed mask) → GRU → dense → softmax cross-entropy.
    func testStackedModel() {
        let B = 2, T = 4, V = 5
        let random = RandomSource(seed: 5)
        let emb = Embedding(vocabularySize: V, dimension: 3, batch: B, maxSteps: T)
        let drop = Dropout(size: 4, rate: 0.3, batch: B, maxSteps: T, random: random)
        let stack = LayerStack([LSTM(inputSize: 3, hiddenSize: 4, batch: B, maxSteps: T), drop,
                                GRU(inputSize: 4, hiddenSize: 3, batch: B, maxSteps: T),
                                Dense(inputSize: 3, outputSize: V, batch: B, maxSteps: T)])
        let params = ParameterSet([("emb", emb)] + stack.namedOwners(prefix: "stack"))
        var rng = SeededRandom(seed: 6)
        params.initialize(&rng)
        let ids: [Int32] = [0, 1, 4, 2, 3, 3, 1, 0]
        let targets: [Int32] = [1, 4, 2, 3, 3, 1, 0, 2]
        let zeros = [Float](repeating: 0, count: T * B * 3)
        _ = zeros.withUnsafeBufferPointer { drop.forward($0.baseAddress!, steps: T, training: true) }
        drop.freezeMask = true
        var dLogits = [Float](repeating: 0, count: T * B * V)
        check("stack", params: params, x: []) { _, backward in
            stack.resetState()
            let e = ids.withUnsafeBufferPointer { emb.forward($0.baseAddress!, steps: T) }
            let logits = stack.forward(e, steps: T, training: true)
            let l = targets.withUnsafeBufferPointer { tp in
                dLogits.withUnsafeMutableBufferPointer { gp in
                    SoftmaxCrossEntropy.loss(logits: logits, targets: tp.baseAddress!, rows: T * B, classes: V,
                                             gradient: gp.baseAddress!, gradScale: 1 / Float(T * B))
                }
            }
            if backward {
                let de = dLogits.withUnsafeBufferPointer { stack.backward($0.baseAddress!, steps: T) }
                emb.backward(de, steps: T)
            }
            return (l / Double(T * B), [])
        }
    }

    func testOrthogonalInitialization() {
        var rng = SeededRandom(seed: 7)
        let n = 6
        var m = [Float](repeating: 0, count: n * 2 * n)
        m.withUnsafeMutableBufferPointer { Initializer.orthogonal($0.baseAddress!, n: n, ld: 2 * n, col: n, rng: &rng) }
        for i in 0..<n {
            for j in 0..<n {
                var dot: Float = 0
                for k in 0..<n { dot += m[k * 2 * n + n + i] * m[k * 2 * n + n + j] }
                XCTAssertEqual(dot, i == j ? 1 : 0, accuracy: 1e-5)
            }
            XCTAssertEqual(m[i * 2 * n], 0) // other columns untouched
        }
    }

    func testLSTMForgetBiasIsOne() {
        let l = LSTM(inputSize: 2, hiddenSize: 3, batch: 1, maxSteps: 1)
        let p = ParameterSet([("l", l)])
        var rng = SeededRandom(seed: 1)
        p.initialize(&rng)
        XCTAssertEqual(Array(p.values(of: "l.b")!), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    }
}
