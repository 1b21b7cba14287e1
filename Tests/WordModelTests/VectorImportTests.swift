import Foundation
import LyricsCore
import WordVectors
@testable import WordModel
import XCTest
import TestSupport

/// Foreign vector files become the word model's vocabulary: words normalised (first spelling
/// wins), "<unk>" and "</s>" added by their documented rules, our own files unchanged.
final class VectorImportTests: XCTestCase {
    let root = LyricsExecutable.repositoryRoot

    func write(_ text: String) throws -> String {
        let path = Tiny.tempDir() + "/v.txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        return path
    }

    func row(_ t: VectorTable, _ word: String) -> [Float] {
        let i = Int(t.index[word]!)
        return Array(t.vectors[(i * t.dimension)..<((i + 1) * t.dimension)])
    }

    func testOurOwnFilesLoadUnchanged() throws {
        let e = Tiny.embedding()
        let dir = Tiny.tempDir()
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try VectorFile.write(e, to: dir + "/ours.bin")
        let loaded = try VectorTable.load(dir + "/ours.bin")
        let direct = try VectorTable(embedding: e, path: dir + "/ours.bin")
        XCTAssertEqual(loaded.words, e.words)
        XCTAssertEqual(loaded.vectors, e.vectors)
        XCTAssertEqual(loaded.unit, direct.unit)
        XCTAssertEqual(loaded.identity, direct.identity, "checkpoints made with our files still match them")
        XCTAssertNil(loaded.importSummary)
    }

    func testWordsAreNormalisedAndTheFirstSpellingWins() throws {
        let t = try VectorTable.load(root.appendingPathComponent("Tests/WordVectorsTests/Fixtures/glove-tiny.txt").path)
        XCTAssertEqual(Array(t.words.prefix(6)), ["the", "and", "thou", "summer's", "ete", "shall"])
        XCTAssertEqual(t.count, 32, "35 rows - 3 dropped (<s>, new-york, ',') - 2 merged (The, summer's) + </s> + <unk>")
        XCTAssertEqual(Array(t.words.suffix(2)), [WordTokenizer.newline, Vocabulary.unknown])
        XCTAssertEqual(row(t, "the"), [-0.637470, 0.322861, -0.330881, -0.604121, -0.020969], "'the' comes first, 'The' is merged into it")
        XCTAssertEqual(row(t, "summer's"), [-0.596261, 0.355210, 0.746500, 0.671573, -0.567808], "'Summer's' precedes 'summer's'")
        XCTAssertEqual(t.importSummary, "35 vectors → 32 words, 3 dropped (not one word after normalisation), 2 merged into an earlier word with the same normal form, added </s> (a fixed random direction) and <unk> (mean of the rarest 1%)")
        XCTAssertEqual(VectorImport.normalWord("Été"), "ete")
        XCTAssertEqual(VectorImport.normalWord("rock'n'roll"), "rock'n'roll")
        XCTAssertNil(VectorImport.normalWord("new-york"))
        XCTAssertNil(VectorImport.normalWord("<pad>"))
        XCTAssertNil(VectorImport.normalWord("1999"))
    }

    /// <unk> = mean of the rarest 1% (here 2 of 150 word rows), rescaled to their mean length;
    /// </s> = a seeded random direction with the mean length of all word rows, the same each load.
    func testUnknownAndNewlineRules() throws {
        var lines = [String]()
        var rows = [[Float]]()
        for i in 0..<150 {
            let v: [Float] = [Float(i % 7) - 3, Float(i % 5) + 0.5, Float(i) / 50]
            rows.append(v)
            lines.append("w\(TextNormalizerTestsWord.word(i)) " + v.map { "\($0)" }.joined(separator: " "))
        }
        let path = try write("150 3\n" + lines.joined(separator: "\n") + "\n")
        let t = try VectorTable.load(path)
        XCTAssertEqual(t.count, 152)
        let len = { (v: [Float]) in v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot() }
        let rare = [rows[148], rows[149]]
        let mean = (0..<3).map { k in (rare[0][k] + rare[1][k]) / 2 }
        let target = (len(rare[0]) + len(rare[1])) / 2
        let unk = row(t, Vocabulary.unknown)
        for k in 0..<3 { XCTAssertEqual(unk[k], mean[k] * target / len(mean), accuracy: 1e-5) }
        let nl = row(t, WordTokenizer.newline)
        XCTAssertEqual(len(nl), rows.map(len).reduce(0, +) / 150, accuracy: 1e-4)
        XCTAssertEqual(try VectorTable.load(path).vectors, t.vectors, "loading is deterministic")
        XCTAssertEqual(Int(t.newlineID), 150)
        XCTAssertEqual(Int(t.unknownID), 151)
    }

    func testAFileWithNewlineKeepsIt() throws {
        // word2vec.c (and fastText) put "</s>" first; it stays the line token, only <unk> is added.
        let path = try write("3 2\n</s> 0.5 0.5\nThe 1 0\nRose 0 1\n")
        let t = try VectorTable.load(path)
        XCTAssertEqual(t.words, ["</s>", "the", "rose", "<unk>"])
        XCTAssertEqual(t.newlineID, 0)
        XCTAssertEqual(row(t, "<unk>"), [0, 1], "the rarest 1% of 2 words is the last one")
    }

    func testAFileWithNoWordIsRefused() throws {
        let path = try write("2 2\n, 1 0\n1999 0 1\n")
        XCTAssertThrowsError(try VectorTable.load(path)) { e in
            XCTAssertEqual("\(e)", "\(path): no word of its 2 vectors is a word after normalisation (lowercase a-z and apostrophes)")
        }
    }
}

/// Letter names for numbers (0 → "a", 12 → "bc"), so generated words survive normalisation.
enum TextNormalizerTestsWord {
    static func word(_ i: Int) -> String {
        String(String(i).unicodeScalars.map { Character(Unicode.Scalar(UInt8(97 + Int($0.value) - 48))) })
    }

    /// Checkpoints store this hash and refuse other vectors by it: its value is pinned.
    func testVocabularyHashIsStable() {
        XCTAssertEqual(VectorTable.hash(words: ["<unk>", "</s>", "love"]), "859a411da12f7471")
    }
}
