import ArgumentParser
import Foundation
import Generation
import LyricsCore
import Models
import NeuralNet

/// `lyrics generation-bench`: how fast a model writes, one stream and as a batch of candidate
/// streams, in fp32 and bf16, and what bf16 costs in bits per character on a held-out text read
/// through the same generation path (observe, logits) the writer uses.
struct GenerationBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generation-bench",
        abstract: "Measure generation speed (one stream, batched candidate streams; fp32 and bf16) and bf16's effect on bits/char.",
        discussion: """
        Each measurement samples --tokens tokens per stream (temperature 0.8, the model's top-k) after a warm-up and \
        times only the stepping (model start-up excluded). The bits/char figure reads --text (default: the first 200 \
        lines of corpora/broad-test.txt) through the one-stream path, token by token, and charges every character the \
        model's log-probability of its tokens (word models: unknown words as "<unk>", no speller).
        Example: lyrics generation-bench --model word --streams 16 --json
        """
    )

    @Option(name: .long, help: "word or char (shipped) or a checkpoint path.") var model: String = "word"
    @Option(name: .long, help: "Candidate streams stepped as one batch.") var streams: Int = 16
    @Option(name: .long, help: "Tokens per stream to time.") var tokens: Int = 1_000
    @Option(name: .long, help: "Held-out text for the bits/char check (default: 200 lines of corpora/broad-test.txt).") var text: String?
    @Option(name: .long, help: "Lines of the text to read.") var lines: Int = 200
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Row: Codable {
        var precision: String
        var oneStreamTokensPerSecond: Double
        var batchTokensPerSecond: Double
        var streams: Int
        var bitsPerCharacter: Double
    }

    func validate() throws {
        guard (1...256).contains(streams) else { throw ValidationError("--streams: must be 1 to 256") }
        guard tokens >= 10 else { throw ValidationError("--tokens: must be at least 10") }
        guard lines >= 1 else { throw ValidationError("--lines: must be at least 1") }
    }

    func run() throws {
        BLAS.setThreads(1)
        let path = ModelLoader.resolve(model)
        let heldOut = try TextNormalizer.normalizedFile(text ?? BundledData.path("corpora/broad-test.txt"))
            .split(separator: "\n").prefix(lines).joined(separator: "\n") + "\n"
        var rows = [Row]()
        for precision in Precision.bf16Available ? [Precision.fp32, .bf16] : [.fp32] {
            let m = try ModelLoader.load(path, precision: precision)
            rows.append(Row(precision: precision.rawValue, oneStreamTokensPerSecond: Self.rate(m, streams: nil, tokens: tokens),
                            batchTokensPerSecond: Self.rate(m, streams: streams, tokens: tokens), streams: streams,
                            bitsPerCharacter: Self.bitsPerCharacter(m, text: heldOut)))
        }
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try e.encode(rows), as: UTF8.self))
            return
        }
        let unit = (try ModelLoader.kind(of: path)) == .word ? "words" : "chars"
        print("| precision | one stream \(unit)/s | \(streams) streams \(unit)/s | bits/char (generation path) |")
        print("|---|---:|---:|---:|")
        for r in rows {
            print(String(format: "| %@ | %.0f | %.0f | %.4f |", r.precision, r.oneStreamTokensPerSecond, r.batchTokensPerSecond, r.bitsPerCharacter))
        }
    }

    /// Tokens per second sampled: one stream through the model itself, or `streams` as a batch.
    static func rate(_ m: TokenModel, streams: Int?, tokens: Int) -> Double {
        let n = streams ?? 1, V = m.tokens.count
        var random = SeededRandom(seed: 1)
        var scratch = Sampler.Scratch()
        let settings = SamplingSettings(temperature: 0.8, topK: m.defaultTopK)
        var logits = [Float](repeating: 0, count: n * V)
        m.reset()
        let batch: TokenStreams? = streams.map { m.makeStreams($0) }
        batch?.start(from: m.saveState())
        func step() {
            logits.withUnsafeMutableBufferPointer { p in
                if let batch { batch.logits(into: p) } else { m.logits(into: p) }
            }
            var next = [Int32](repeating: m.newlineToken, count: n)
            for s in 0..<n {
                next[s] = logits.withUnsafeMutableBufferPointer { p in
                    Sampler.sample(UnsafeMutableBufferPointer(rebasing: p[(s * V)..<((s + 1) * V)]), settings: settings, recent: [],
                                   excluding: m.forbiddenTokens, random: &random, scratch: &scratch)
                } ?? m.newlineToken
            }
            if let batch { batch.observe(next) } else { m.observe(next[0]) }
        }
        for _ in 0..<20 { step() }
        let started = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<tokens { step() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return Double(tokens * n) / seconds
    }

    /// Bits per character of `text` read token by token through `observe` and `logits`.
    static func bitsPerCharacter(_ m: TokenModel, text: String) -> Double {
        var logits = [Float](repeating: 0, count: m.tokens.count)
        var nats = 0.0
        m.reset()
        for t in m.encode(text) {
            logits.withUnsafeMutableBufferPointer { m.logits(into: $0) }
            nats += logits.withUnsafeBufferPointer { Softmax.logSumExp($0) } - Double(logits[Int(t)])
            m.observe(t)
        }
        return nats / log(2) / Double(text.count)
    }
}
