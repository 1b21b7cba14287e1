import Foundation
import LyricsCore

/// The tiny inputs the binary-running tests share, made once per test process with the built binary
/// (about a second in debug): a 1,200-line corpus of 18 words (so its test and validation parts
/// are 50 lines each), 8-dimensional word vectors trained on it, a char and a word model trained
/// for a few steps (1 × 8 LSTMs), and fine-tuned copies of both (for `blend` and the report).
/// Tests read these files and write only into their own temporary directory.
public final class Fixture {
    public let dir: URL
    public func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    public var corpus: String { path("corpus.txt") }
    public var vectors: String { path("vectors.bin") }
    public var char: String { path("char.safetensors") }
    public var word: String { path("word.safetensors") }
    public var charTuned: String { path("char-tuned.safetensors") }
    public var charScratch: String { path("char-scratch.safetensors") }
    public var wordTuned: String { path("word-tuned.safetensors") }
    public func testPart() throws -> String { try Corpus(path: corpus).split.test }

    nonisolated(unsafe) private static var made: Result<Fixture, Error>?
    nonisolated(unsafe) private static var madeDir: URL?

    /// The shared fixture; a failure to make it fails (or skips) every test that asks.
    public static func shared() throws -> Fixture {
        _ = try LyricsExecutable.orSkip(for: Fixture.self)
        if made == nil { made = Result { try Fixture() } }
        return try made!.get()
    }

    public static let words = ["the", "night", "is", "long", "and", "cold", "my", "heart", "sings", "of", "summer", "rain",
                        "light", "falls", "on", "sea", "love", "Love's"]

    /// 1,200 lines of 3 to 7 words drawn with a fixed seed.
    public static func corpusText(lines: Int = 1_200, seed: UInt64 = 3) -> String {
        var rng = SeededRandom(seed: seed)
        return (0..<lines).map { _ in
            (0..<(3 + Int(rng.next() % 5))).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    private init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        Self.madeDir = dir
        atexit { if let dir = Fixture.madeDir { try? FileManager.default.removeItem(at: dir) } }
        try Data(Self.corpusText().utf8).write(to: dir.appendingPathComponent("corpus.txt"))
        let exe = try LyricsExecutable.orSkip(for: Fixture.self)
        let small = ["--hidden", "8", "--layers", "1", "--batch", "2", "--threads", "1", "--quiet"]
        let steps: [[String]] = [
            ["vectors", "train", "--corpus", "corpus.txt", "--part", "train", "--out", "vectors", "--dimensions", "8",
             "--epochs", "1", "--min-count", "1", "--threads", "1", "--quiet"],
            ["char", "train", "--corpus", "corpus.txt", "--output", "char.safetensors", "--embedding", "4", "--seq-length", "8",
             "--steps", "3"] + small,
            ["word", "train", "--vectors", "vectors.bin", "--corpus", "corpus.txt", "--output", "word.safetensors",
             "--seq-length", "4", "--steps", "3"] + small,
            ["char", "fine-tune", "--base", "char.safetensors", "--corpus", "corpus.txt", "--output", "char-tuned.safetensors",
             "--seq-length", "8", "--epochs", "0.01", "--batch", "2", "--threads", "1", "--quiet"],
            ["char", "fine-tune", "--base", "char.safetensors", "--corpus", "corpus.txt", "--output", "char-scratch.safetensors",
             "--from-scratch", "--seq-length", "8", "--epochs", "0.01", "--batch", "2", "--threads", "1", "--quiet"],
            ["word", "fine-tune", "--base", "word.safetensors", "--corpus", "corpus.txt", "--output", "word-tuned.safetensors",
             "--seq-length", "4", "--steps", "2", "--batch", "2", "--threads", "1", "--quiet"],
        ]
        for args in steps {
            let r = try LyricsExecutable.run(exe, args, in: dir)
            guard r.status == 0 else { throw LyricsError(file: args.joined(separator: " "), "fixture step failed: \(r.err)") }
        }
    }
}
