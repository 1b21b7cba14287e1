import Foundation
import LyricsCore
import TestSupport
import XCTest

/// Your own vectors and your own lyrics, end to end through the built `lyrics` binary: word
/// models trained over gensim-made (binary and text) and GloVe files, char models and vectors
/// trained on a table of songs with filters and the song split, and one-line errors with no
/// output for bad input.
final class BringYourOwnTests: XCTestCase {
    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) { try WV.runLyrics(args, from: Self.self) }

    /// A few lines of verse, three times over, so a 2 × 4-word batch has several steps an epoch.
    func tinyCorpus(_ dir: String) -> String {
        let raw = """
        Shall I compare thee to a Summer's day?
        Thou art more lovely and more temperate:
        Rough winds do shake the darling buds of May,
        And Summer's lease hath all too short a date.

        """
        WV.write(String(repeating: raw, count: 3), dir + "/tiny.txt")
        return dir + "/tiny.txt"
    }

    func trainWord(_ vectors: String, _ dir: String, _ name: String) throws -> (status: Int32, out: String, err: String) {
        try run(["word", "train", "--vectors", vectors, "--corpus", tinyCorpus(dir), "--steps", "3", "--output", dir + "/" + name,
                 "--hidden", "8", "--layers", "1", "--batch", "2", "--seq-length", "4", "--eval-every", "2", "--threads", "1"])
    }

    func assertOneLineError(_ r: (status: Int32, out: String, err: String), _ fragment: String, line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, line: line)
        XCTAssertTrue(r.err.hasPrefix("error: ") && r.err.contains(fragment), r.err, line: line)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err, line: line)
    }

    func testWordModelTrainsOnGensimBinaryAndTextFiles() throws {
        guard let check = Python.run("import gensim"), check.status == 0 else {
            throw XCTSkip("python3 with gensim is not available; skipping the gensim-made vectors test")
        }
        let dir = WV.tempDir(self)
        let script = """
        import sys
        from gensim.models import Word2Vec
        text = open(sys.argv[1] + "/tiny.txt").read().replace("?", " ").replace(",", " ").replace(".", " ")
        model = Word2Vec([l.split() for l in text.splitlines()], vector_size=6, min_count=1, epochs=2, workers=1, seed=1)
        model.wv.save_word2vec_format(sys.argv[1] + "/g.bin", binary=True)
        model.wv.save_word2vec_format(sys.argv[1] + "/g.txt", binary=False)
        """
        _ = tinyCorpus(dir)
        let made = try XCTUnwrap(Python.run(script, args: [dir]))
        XCTAssertEqual(made.status, 0, made.err)
        for file in ["g.bin", "g.txt"] {
            let r = try trainWord(dir + "/" + file, dir, file + ".safetensors")
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertTrue(r.out.hasPrefix("steps 3 "), r.out)
            // gensim keeps "Summer's" and "And" apart from "summer's"/"and"; the loader merges them.
            XCTAssertTrue(r.err.contains("\(dir)/\(file): "), r.err)
            XCTAssertTrue(r.err.contains("merged into an earlier word"), r.err)
            XCTAssertTrue(r.err.contains("added </s> (a fixed random direction) and <unk> (mean of the rarest 1%)"), r.err)
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + file + ".safetensors"))
        }
    }

    func testWordModelTrainsOnGloVeAndRefusesOtherVectors() throws {
        let dir = WV.tempDir(self)
        let r = try trainWord(WV.fixture("glove-tiny.txt"), dir, "glove.safetensors")
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("steps 3 "), r.out)
        XCTAssertTrue(r.err.contains("35 vectors → 32 words"), r.err)
        let g = try run(["word", "generate", "--model", dir + "/glove.safetensors", "--lines", "1", "--seed", "3"])
        XCTAssertEqual(g.status, 0, g.err)
        XCTAssertFalse(g.out.isEmpty)
        let other = try run(["word", "generate", "--model", dir + "/glove.safetensors", "--vectors", "vectors/verse-2m.bin"])
        assertOneLineError(other, "vectors/verse-2m.bin: vectors have 100 dimensions but model \(dir)/glove.safetensors was trained with 5")
    }

    func testGloVeLineWithAWrongCountIsOneLineAndNoOutput() throws {
        let dir = WV.tempDir(self)
        WV.write("the 1 2 3\nrose 1 2 3\nlove 1 2\n", dir + "/bad.txt")
        let r = try trainWord(dir + "/bad.txt", dir, "out.safetensors")
        assertOneLineError(r, "\(dir)/bad.txt: line 3: wrong row length for 'love': 2 values, the first line has 3")
        XCTAssertFalse(WV.files(in: dir).contains { $0.contains("out.safetensors") })
    }

    func testCharModelAndVectorsTrainOnASongsTable() throws {
        let dir = WV.tempDir(self)
        let c = try run(["char", "train", "--corpus", "corpora/songs.csv", "--text-column", "lyrics", "--where", "genre=Sonnet",
                         "--split-by", "song", "--steps", "2", "--output", dir + "/c.safetensors", "--hidden", "16", "--layers", "1",
                         "--batch", "4", "--seq-length", "16", "--threads", "1"])
        XCTAssertEqual(c.status, 0, c.err)
        XCTAssertTrue(c.out.hasPrefix("steps 2 "), c.out)
        // 154 sonnets by song: 7 to validation (k % 20 == 18), 8 to test, 139 to training.
        let sonnets = try Corpus(source: .table(WV.repo("corpora/songs.csv"), .init(textColumn: "lyrics", filters: [.init(column: "genre", value: "Sonnet")])))
        let split = sonnets.split
        XCTAssertTrue(c.err.contains("\(split.train.utf8.count) training / \(split.valid.utf8.count) validation characters"), c.err)
        let e = try run(["char", "evaluate", "--model", dir + "/c.safetensors", "--corpus", "corpora/songs.csv", "--where", "genre=Sonnet", "--json"])
        XCTAssertEqual(e.status, 0, e.err)
        let v = try run(["vectors", "train", "--corpus", "corpora/songs.csv", "--where", "artist=David", "--part", "all", "--out", dir + "/v",
                         "--dimensions", "8", "--epochs", "1", "--min-count", "1", "--threads", "1", "--quiet"])
        XCTAssertEqual(v.status, 0, v.err)
        XCTAssertTrue(v.out.contains("words × 8"), v.out)
    }

    func testBadCorporaAreOneLineWithNoOutput() throws {
        let dir = WV.tempDir(self)
        WV.write("song,lyrics\na,\"fine\"\nb,\"never closed\n", dir + "/open.csv")
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            (["--corpus", "corpora/songs.csv", "--text-column", "lyric"],
             "corpora/songs.csv: no column 'lyric' (--text-column); columns: index, song, year, artist, genre, lyrics"),
            (["--corpus", "corpora/songs.csv", "--where", "genre=Sonet"], "corpora/songs.csv: no row of 304 matches --where genre=Sonet"),
            (["--corpus", dir + "/open.csv"], "\(dir)/open.csv: line 3: quoted field is never closed"),
            (["--corpus", dir + "/empty"], "\(dir)/empty: folder has no .txt files"),
            (["--corpus", "corpora/sonnets.txt", "--split-by", "song"], "corpora/sonnets.txt: plain text has no song boundaries"),
        ]
        for (args, message) in cases {
            let r = try run(["char", "train", "--steps", "1", "--output", dir + "/out.safetensors"] + args)
            assertOneLineError(r, message)
            let w = try run(["vectors", "train", "--out", dir + "/out", "--quiet"] + args)
            XCTAssertNotEqual(w.status, 0)
            XCTAssertTrue(w.err.contains(message), w.err)
        }
        XCTAssertFalse(WV.files(in: dir).contains { $0.contains("out") }, "\(WV.files(in: dir))")
    }
}
