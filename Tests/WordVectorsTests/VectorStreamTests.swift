import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// The vector files people bring, read as a stream: GloVe without a header, fastText and
/// word2vec.c text with trailing spaces, word2vec.c binary with row newlines, binary detected by
/// content, and rows cut at every possible chunk boundary.
final class VectorStreamTests: XCTestCase {
    func rows(_ data: Data, format: VectorFile.Format? = nil, chunk: Int? = nil) throws -> (VectorFileLayout?, [String], [Float]) {
        var layout: VectorFileLayout?
        var words = [String](), values = [Float]()
        let reader: ChunkReader
        if let chunk {
            var offset = 0
            reader = ChunkReader { _ in
                defer { offset += chunk }
                return offset < data.count ? data.subdata(in: offset..<min(offset + chunk, data.count)) : nil
            }
        } else {
            reader = ChunkReader(data: data)
        }
        try VectorStream.read(reader, file: "f", size: data.count, format: format, layout: { layout = $0 }) { w, v, _ in
            words.append(w)
            values += v
        }
        return (layout, words, values)
    }

    func testGloVeHasNoHeaderAndTakesItsDimensionFromTheFirstLine() throws {
        let (layout, words, values) = try rows(Data("the 0.5 -1 2e-1\nrose 1 2 3\n\nlove -0 0 1.5\n".utf8))
        XCTAssertEqual(layout, VectorFileLayout(format: .text, count: nil, dimension: 3))
        XCTAssertEqual(words, ["the", "rose", "love"])
        XCTAssertEqual(values, [0.5, -1, 0.2, 1, 2, 3, 0, 0, 1.5])
        let fixture = try VectorFile.read(WV.fixture("glove-tiny.txt"))
        XCTAssertEqual(fixture.count, 35)
        XCTAssertEqual(fixture.dimensions, 5)
        XCTAssertEqual(fixture.words[3], "The")
    }

    func testGloVeLineWithAWrongCountNamesTheLine() {
        WV.assertError(try VectorFile.parse(Data("a 1 2 3\nb 1 2 3\nc 1 2\n".utf8), file: "g.txt"), file: "g.txt",
                       contains: "line 3: wrong row length for 'c': 2 values, the first line has 3")
        WV.assertError(try VectorFile.parse(Data("a 1 2 3\nb 1 2 3 4\n".utf8), file: "g.txt"), file: "g.txt",
                       contains: "line 2: wrong row length for 'b': more than 3 values")
        WV.assertError(try VectorFile.parse(Data("a 1 2 x\n".utf8), file: "g.txt"), file: "g.txt", contains: "wrong header")
        WV.assertError(try VectorFile.parse(Data("a b c\n".utf8), file: "g.txt"), file: "g.txt", contains: "or a GloVe line")
    }

    func testFastTextAndWord2vecTextWithTrailingSpaces() throws {
        // fastText and word2vec.c end every row with a space; fastText files start with "</s>".
        let (layout, words, values) = try rows(Data("2 2\n</s> 0.1 0.2 \nthe 1 -1 \n".utf8))
        XCTAssertEqual(layout, VectorFileLayout(format: .text, count: 2, dimension: 2))
        XCTAssertEqual(words, ["</s>", "the"])
        XCTAssertEqual(values, [0.1, 0.2, 1, -1])
    }

    func testBinaryIsRecognisedByContentWhateverTheName() throws {
        let e = WV.randomEmbedding(words: ["</s>", "the", "rose"], dim: 16)
        let dir = WV.tempDir(self)
        try VectorFile.write(e, to: dir + "/v.bin")
        try FileManager.default.copyItem(atPath: dir + "/v.bin", toPath: dir + "/vectors.w2v")
        let back = try VectorFile.read(dir + "/vectors.w2v")
        XCTAssertEqual(back.words, e.words)
        XCTAssertEqual(back.vectors, e.vectors)
    }

    /// Every chunk size from 1 byte up gives the same rows, in text and in binary (word2vec.c
    /// layout with row newlines, and gensim's without).
    func testChunkBoundariesDoNotMatter() throws {
        let e = WV.randomEmbedding(words: ["</s>", "the", "été", "o'er", "<unk>"], dim: 3)
        let dir = WV.tempDir(self)
        try VectorFile.write(e, to: dir + "/v.vec")
        try VectorFile.write(e, to: dir + "/v.bin")
        var gensim = Data(Array("5 3\n".utf8))
        let bin = try Data(contentsOf: URL(fileURLWithPath: dir + "/v.bin"))
        for (i, w) in e.words.enumerated() {
            gensim += Data((w + " ").utf8)
            for x in e.vectors[(i * 3)..<(i * 3 + 3)] { withUnsafeBytes(of: x.bitPattern.littleEndian) { gensim += Data($0) } }
        }
        let inputs: [(Data, VectorFile.Format?)] = [(try Data(contentsOf: URL(fileURLWithPath: dir + "/v.vec")), nil),
                                                     (bin, .binary), (gensim, .binary)]
        for (data, format) in inputs {
            for chunk in [1, 2, 3, 5, 7, 13, 64, data.count] {
                let (_, words, values) = try rows(data, format: format, chunk: chunk)
                XCTAssertEqual(words, e.words, "chunk \(chunk)")
                XCTAssertEqual(values, e.vectors, "chunk \(chunk)")
            }
        }
    }

    func testGzippedTextIsReadThroughGzip() throws {
        let dir = WV.tempDir(self)
        WV.write("the 1 2\nrose 3 4\n", dir + "/g.txt")
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/sh")
        gz.arguments = ["-c", "gzip -k \"$0\"", dir + "/g.txt"]
        try gz.run()
        gz.waitUntilExit()
        let e = try VectorFile.read(dir + "/g.txt.gz")
        XCTAssertEqual(e.words, ["the", "rose"])
        XCTAssertEqual(e.vectors, [1, 2, 3, 4])
    }
}
