import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// Training: determinism, a quality sanity check, and bad corpora.
final class TrainerTests: XCTestCase {
    /// Two topics whose words only co-occur within their own topic's lines.
    static func topicCorpus(lines: Int, seed: UInt64) -> String {
        let topics = [["sun", "sky", "light", "gold", "day", "warm"], ["sea", "wave", "salt", "ship", "tide", "deep"]]
        var rng = SeededRandom(seed: seed)
        var out = ""
        for _ in 0..<lines {
            let t = topics[Int(rng.next() % 2)]
            out += (0..<8).map { _ in t[Int(rng.next() % UInt64(t.count))] }.joined(separator: " ") + "\n"
        }
        return out
    }

    func smallConfig(threads: Int = 1, seed: UInt64 = 7) -> SkipGramConfig {
        var c = SkipGramConfig()
        c.dimensions = 16; c.window = 3; c.negative = 4; c.epochs = 3; c.minCount = 1
        c.threads = threads; c.seed = seed; c.sample = 1e-2
        return c
    }

    func train(_ text: String, _ config: SkipGramConfig) throws -> SkipGramTrainer {
        let vocab = try Vocabulary.build(from: text, minCount: config.minCount)
        let t = try SkipGramTrainer(config: config, vocabulary: vocab)
        t.train(tokens: vocab.encode(text))
        return t
    }

    func testOneThreadWithSeedIsBitwiseReproducible() throws {
        let text = Self.topicCorpus(lines: 300, seed: 1)
        let a = try train(text, smallConfig())
        let b = try train(text, smallConfig())
        XCTAssertEqual(a.syn0.map(\.bitPattern), b.syn0.map(\.bitPattern))
        XCTAssertEqual(a.syn1.map(\.bitPattern), b.syn1.map(\.bitPattern))
        let c = try train(text, smallConfig(seed: 8))
        XCTAssertNotEqual(a.syn0, c.syn0)
        for (update, batch) in [(SkipGramUpdate.window, 1), (.matrix, 4)] {
            var other = smallConfig()
            other.update = update
            other.centersPerBatch = batch
            let d1 = try train(text, other), d2 = try train(text, other)
            XCTAssertEqual(d1.syn0.map(\.bitPattern), d2.syn0.map(\.bitPattern), "\(update)")
            XCTAssertNotEqual(d1.syn0, a.syn0, "\(update)")
        }
    }

    func testCoOccurringWordsEndUpNearer() throws {
        let text = Self.topicCorpus(lines: 1500, seed: 2)
        let runs: [(Int, SkipGramUpdate, Int, Int)] = [(1, .pairs, 1, 0), (2, .pairs, 1, 0), (1, .window, 1, 0),
                                                       (1, .matrix, 1, 0), (1, .matrix, 4, 0), (1, .matrix, 4, 12)]
        for (threads, update, batch, negatives) in runs {
            var c = smallConfig(threads: threads)
            c.epochs = 5
            c.update = update
            c.centersPerBatch = batch
            c.batchNegatives = negatives
            let e = try train(text, c).embedding
            func cos(_ a: String, _ b: String) -> Float {
                zip(e.unitVector(a)!, e.unitVector(b)!).reduce(0) { $0 + $1.0 * $1.1 }
            }
            let within = (cos("sun", "sky") + cos("sea", "wave") + cos("gold", "light") + cos("ship", "tide")) / 4
            let across = (cos("sun", "sea") + cos("sky", "wave") + cos("gold", "tide") + cos("light", "salt")) / 4
            XCTAssertGreaterThan(within, across + 0.3, "threads \(threads) \(update) batch \(batch): within \(within) across \(across)")
            XCTAssertTrue(e.vectors.allSatisfy(\.isFinite))
            let top = e.neighbors(of: ["sun"], n: 4)[0]!.map(\.word)
            XCTAssertTrue(Set(top).isSubset(of: ["sky", "light", "gold", "day", "warm", "</s>"]), "\(top)")
        }
    }

    func testNewlineTokenGetsATrainedVector() throws {
        let text = Self.topicCorpus(lines: 200, seed: 3)
        let t = try train(text, smallConfig())
        let e = t.embedding
        XCTAssertEqual(e.words.first, "</s>")
        let initial = try SkipGramTrainer(config: smallConfig(), vocabulary: t.vocabulary).syn0
        XCTAssertNotEqual(Array(e.vector("</s>")!), Array(initial[0..<16]))
    }

    func testBadCorporaFailWithTheFileNamedAndNoOutput() throws {
        let dir = WV.tempDir(self)
        WV.write("", dir + "/empty.txt")
        WV.write("a b c\nd e f\n", dir + "/rare.txt")
        WV.write(" ... 123 !!\n", dir + "/noletters.txt")
        try Data([0x61, 0x20, 0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: dir + "/latin1.txt"))
        let cases: [(String, String)] = [
            (dir + "/missing.txt", "no such file"), (dir + "/empty.txt", "empty"),
            (dir + "/noletters.txt", "empty"), (dir + "/rare.txt", "no word occurs at least 5 times"),
            (dir + "/latin1.txt", "not valid UTF-8"),
        ]
        for (path, fragment) in cases {
            WV.assertError(try TrainingData.load(corpus: path, part: .all, minCount: 5), file: path, contains: fragment)
        }
        XCTAssertEqual(Set(WV.files(in: dir)), ["empty.txt", "rare.txt", "noletters.txt", "latin1.txt"])
    }

    func testConfigValidationNamesTheOption() {
        var c = SkipGramConfig()
        c.window = 0
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("--window")) }
        c = SkipGramConfig()
        c.minAlpha = 1
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("--min-alpha")) }
        c = SkipGramConfig()
        c.centersPerBatch = 4
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("--update matrix")) }
        c.update = .matrix
        XCTAssertNoThrow(try c.validate())
    }

    func testTokenLinesForGensimSpellTheSameStream() throws {
        let dir = WV.tempDir(self)
        let text = "a b a\nc a\nb\n"
        let vocab = try Vocabulary.build(from: text, minCount: 2)
        let data = TrainingData(vocabulary: vocab, tokens: vocab.encode(text))
        try data.writeTokenLines(to: dir + "/t.txt", wordsPerLine: 4)
        XCTAssertEqual(try String(contentsOfFile: dir + "/t.txt", encoding: .utf8), "a b a </s>\n<unk> a </s> b\n</s>\n")
    }
}

/// The chunked corpus reader must give exactly `Corpus`'s normalised text and split.
final class CorpusStreamTests: XCTestCase {
    func testChunkedReadingMatchesCorpus() throws {
        let dir = WV.tempDir(self)
        let path = WV.repo("corpora/verse-2m.txt")
        let corpus = try Corpus(path: path)
        for part in CorpusSplit.Part.allCases {
            let streamed = try CorpusStream.normalizedText(path: path, part: part, chunkBytes: 100_003)
            XCTAssertEqual(streamed, corpus.split.text(part, whole: corpus.text), "\(part)")
        }
        let gz = dir + "/s.txt.gz"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c \"$0\" > \"$1\"", WV.repo("corpora/sonnets.txt"), gz]
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(try CorpusStream.normalizedText(path: gz, part: .all, chunkBytes: 4096),
                       try Corpus(path: WV.repo("corpora/sonnets.txt")).text)
        WV.write("not gzip", dir + "/bad.gz")
        WV.assertError(try CorpusStream.normalizedText(path: dir + "/bad.gz", part: .all), file: dir + "/bad.gz", contains: "not a valid gzip file")
    }

    /// Counting and encoding chunk by chunk gives the vocabulary and ids of the whole text.
    func testTwoPassLoadEqualsLoadingTheWholeText() throws {
        let path = WV.repo("corpora/sonnets.txt")
        for part in [CorpusSplit.Part.all, .train, .test] {
            let whole = try TrainingData.load(normalized: CorpusStream.normalizedText(path: path, part: part),
                                              file: path, part: part, minCount: 3)
            let streamed = try TrainingData.load(corpus: path, part: part, minCount: 3, chunkBytes: 5_003)
            XCTAssertEqual(streamed.vocabulary, whole.vocabulary, "\(part)")
            XCTAssertEqual(streamed.tokens, whole.tokens, "\(part)")
            XCTAssertLessThan(streamed.tokens.capacity, streamed.tokens.count + 64, "\(part): ids reserved to their size, never grown")
        }
    }

    func testBadByteOffsetIsCountedFromTheFileStart() throws {
        let dir = WV.tempDir(self)
        var bytes = [UInt8](repeating: 0x61, count: 5000)
        for i in stride(from: 99, to: 5000, by: 100) { bytes[i] = 0x0A }
        bytes[4321] = 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/b.txt"))
        WV.assertError(try CorpusStream.normalizedText(path: dir + "/b.txt", part: .all, chunkBytes: 1000),
                       file: dir + "/b.txt", contains: "offset 4321")
    }
}
