import XCTest
import LyricsCore
@testable import CharModel
@testable import NeuralNet

/// Top-k sampling (used by the web page): k = 1 must be greedy whatever the temperature, and
/// sampled characters must always come from the k most likely.
final class CharGeneratorTopKTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    func testTopOneIsGreedyAndTopKStaysInTheTopK() {
        let config = CharModelConfig(cell: .gru, layers: 1, hiddenSize: 12, embeddingSize: 6)
        let m = CharModel(config: config, vocabulary: TinyText.vocabulary, batch: 1, maxSteps: 1, seed: 9)
        let g = CharGenerator(model: m)
        var r0 = SeededRandom(seed: 1), r1 = SeededRandom(seed: 2)
        XCTAssertEqual(g.generate(prime: "thou", length: 30, temperature: 2, topK: 1, rng: &r1),
                       g.generate(prime: "thou", length: 30, temperature: 0, rng: &r0))

        var logits = (0..<TinyText.vocabulary.count).map { Float($0 % 7) - Float($0) * 0.01 }
        let top3 = Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(3).map { Int32($0) })
        var rng = SeededRandom(seed: 3)
        var seen = Set<Int32>()
        logits.withUnsafeMutableBufferPointer { buf in
            for _ in 0..<500 { seen.insert(g.sample(buf.baseAddress!, temperature: 5, topK: 3, rng: &rng)) }
        }
        XCTAssertEqual(seen, top3, "a high temperature with k = 3 samples exactly the three most likely")
    }
}
