import TestSupport
import XCTest
@testable import LyricsCore

final class TokensAndSplitTests: XCTestCase {
    func testDetokenizeInvertsTokenizeOnNormalizedText() throws {
        let raw = try String(contentsOfFile: TestPaths.corpus("psalms.txt"), encoding: .utf8)
        let text = TextNormalizer.normalize(raw)
        let tokens = WordTokenizer.tokenize(text)
        XCTAssertEqual(tokens.filter { $0 == WordTokenizer.newline }.count, text.filter { $0 == "\n" }.count)
        XCTAssertEqual(WordTokenizer.detokenize(tokens), text)
        XCTAssertEqual(WordTokenizer.tokenize("a b\nc\n"), ["a", "b", "</s>", "c", "</s>"])
    }

    func testSplitFollowsFiftyLineBlocks() {
        // 2,000 numbered lines = 40 blocks; blocks 18 and 38 are validation, 19 and 39 test.
        let lines = (0..<2000).map { "line \(Self.word($0))" }
        let text = lines.joined(separator: "\n") + "\n"
        let split = CorpusSplit(normalized: text)
        func expected(_ blocks: [Int]) -> String {
            blocks.flatMap { b in lines[(b * 50)..<(b * 50 + 50)] }.map { $0 + "\n" }.joined()
        }
        XCTAssertEqual(split.valid, expected([18, 38]))
        XCTAssertEqual(split.test, expected([19, 39]))
        XCTAssertEqual(split.train, expected((0..<40).filter { $0 % 20 < 18 }))
    }

    func testSplitOfBundledCorpusIsDisjointAndComplete() throws {
        let corpus = try Corpus(path: TestPaths.corpus("verse-2m.txt"))
        let split = corpus.split
        XCTAssertEqual(split.train.utf8.count + split.valid.utf8.count + split.test.utf8.count, corpus.text.utf8.count)
        let validShare = Double(split.valid.utf8.count) / Double(corpus.text.utf8.count)
        XCTAssertEqual(validShare, 0.05, accuracy: 0.01)
    }

    func testVocabularyOrderMinCountAndUnknown() throws {
        let text = "b a a c\nb a\nz\n"
        let vocab = try Vocabulary.build(from: text, minCount: 2)
        // Counts: </s> 3, a 3, b 2, c 1, z 1 -> c and z fold into <unk> (2).
        XCTAssertEqual(vocab.words, ["</s>", "a", "<unk>", "b"])
        XCTAssertEqual(vocab.counts, [3, 3, 2, 2])
        XCTAssertEqual(vocab.decode(vocab.encode("a z\n")), ["a", "<unk>", "</s>"])
    }

    func testVocabularyErrorsNameTheFile() {
        XCTAssertThrowsError(try Vocabulary.build(from: "", minCount: 1, file: "e.txt")) {
            XCTAssertEqual("\($0)", "e.txt: corpus is empty after normalisation")
        }
        XCTAssertThrowsError(try Vocabulary.build(from: "a b c\n", minCount: 5, file: "r.txt")) {
            XCTAssertTrue("\($0)".hasPrefix("r.txt: no word occurs at least 5 times"))
        }
    }

    func testCorpusErrors() throws {
        XCTAssertThrowsError(try Corpus(path: "/nonexistent/x.txt")) {
            XCTAssertEqual("\($0)", "/nonexistent/x.txt: no such file")
        }
        let dir = try temporaryFolder()
        let empty = dir.appendingPathComponent("empty.txt").path
        FileManager.default.createFile(atPath: empty, contents: Data("  ,,, \n\n".utf8))
        XCTAssertThrowsError(try Corpus(path: empty)) { XCTAssertTrue("\($0)".contains("corpus is empty")) }
        let gz = dir.appendingPathComponent("fake.gz").path
        FileManager.default.createFile(atPath: gz, contents: Data("not gzip".utf8))
        XCTAssertThrowsError(try Corpus(path: gz)) { XCTAssertEqual("\($0)", "\(gz): not a valid gzip file") }
    }

    static func word(_ i: Int) -> String {
        String(String(i).unicodeScalars.map { Character(Unicode.Scalar(UInt8(97 + Int($0.value) - 48))) })
    }
}

final class AtomicFileTests: XCTestCase {
    func testFailedWriteLeavesNoFileBehind() throws {
        let dir = try temporaryFolder()
        let target = dir.appendingPathComponent("out.bin").path
        struct Boom: Error {}
        XCTAssertThrowsError(try AtomicFile.write(to: target) { h in
            try h.write(contentsOf: Data([1, 2, 3]))
            throw Boom()
        })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
        try AtomicFile.write(Data("ok".utf8), to: target)
        XCTAssertEqual(FileManager.default.contents(atPath: target), Data("ok".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.bin"])
    }

    func testSeededRandomIsReproducibleAndRestorable() {
        var a = SeededRandom(seed: 42)
        _ = a.next()
        var b = SeededRandom(state: a.stateWords)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        var c = SeededRandom(seed: 7)
        let xs = (0..<10_000).map { _ in c.nextFloat() }
        XCTAssertTrue(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(xs.reduce(0, +) / 10_000, 0.5, accuracy: 0.02)
    }
}
