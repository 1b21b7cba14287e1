import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// word2vec text/binary files: round trips and rejection of broken files with one clear line.
final class VectorFileTests: XCTestCase {
    let words = ["</s>", "the", "<unk>", "rose", "été", "o'er"]

    func testTextAndBinaryRoundTrip() throws {
        let dir = WV.tempDir(self)
        let e = WV.randomEmbedding(words: words, dim: 7)
        for fmt in VectorFile.Format.allCases {
            let path = dir + "/v." + (fmt == .binary ? "bin" : "vec")
            try VectorFile.write(e, to: path)
            let back = try VectorFile.read(path)
            XCTAssertEqual(back.words, words)
            XCTAssertEqual(back.dimensions, 7)
            // Swift's shortest float description round-trips exactly, so both formats are lossless.
            XCTAssertEqual(back.vectors, e.vectors, "\(fmt)")
        }
        XCTAssertEqual(WV.files(in: dir).sorted(), ["v.bin", "v.vec"], "no temporary files left")
    }

    func testBinaryLayoutIsWord2vecs() throws {
        let dir = WV.tempDir(self)
        let e = WordEmbedding(words: ["a"], dimensions: 2, vectors: [1, -2])
        try VectorFile.write(e, to: dir + "/x.bin")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/x.bin")))
        XCTAssertEqual(bytes, Array("1 2\na ".utf8) + [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0x0A])
        // gensim writes rows without the trailing newline; both read the same.
        let gensimStyle = Data(Array("2 1\na ".utf8) + [0, 0, 0x80, 0x3F] + Array("b ".utf8) + [0, 0, 0, 0x40])
        let g = try VectorFile.parse(gensimStyle, file: "g.bin", format: .binary)
        XCTAssertEqual(g.words, ["a", "b"])
        XCTAssertEqual(g.vectors, [1, 2])
    }

    func testBrokenTextFilesAreRejectedWithOneLine() {
        func check(_ text: String, _ fragment: String, line: UInt = #line) {
            WV.assertError(try VectorFile.parse(Data(text.utf8), file: "bad.vec", format: .text),
                           file: "bad.vec", contains: fragment, line: line)
        }
        check("", "empty file")
        check("hello world\na 1 2\n", "wrong header")
        check("2\na 1 2\n", "wrong header")
        check("-1 2\n", "wrong header")
        check("2 2\na 1 2\nb 1\n", "wrong row length")
        check("2 2\na 1 2\nb 1 2 3\n", "wrong row length")
        check("2 2\na 1 2\nb 1 nan\n", "not finite")
        check("2 2\na 1 2\nb inf 1\n", "not finite")
        check("2 2\na 1 2\nb 1 x\n", "not a number")
        check("2 2\na 1 2\nb 1 2x\n", "not a number")
        check("2 2\na 1 2\na 3 4\n", "duplicate word 'a'")
        check("3 2\na 1 2\nb 3 4\n", "expected more vectors")
        check("30 2\na 1 2\nb 3 4\n", "too short")
        check("1 2\na 1 2\nb 3 4\n", "more data after")
        check("999999999999999999 99999\n", "too short")
        WV.assertError(try VectorFile.parse(Data([0x31, 0x20, 0x31, 0x0A, 0xFF, 0x20, 0x31, 0x0A]), file: "bad.vec", format: .text),
                       file: "bad.vec", contains: "not valid UTF-8")
    }

    func testBrokenBinaryFilesAreRejectedWithOneLine() throws {
        let dir = WV.tempDir(self)
        let e = WV.randomEmbedding(words: words, dim: 4)
        try VectorFile.write(e, to: dir + "/ok.bin")
        let good = try Data(contentsOf: URL(fileURLWithPath: dir + "/ok.bin"))
        for cut in [good.count - 2, good.count - 9, 20, 5] {
            let path = dir + "/cut\(cut).bin"
            try good.prefix(cut).write(to: URL(fileURLWithPath: path))
            WV.assertError(try VectorFile.read(path), file: path, contains: "truncated")
        }
        var nan = [UInt8](good)
        let first = nan.firstIndex(of: 0x20, after: nan.firstIndex(of: 0x0A)!)! + 1 // first value of "</s>"
        nan.replaceSubrange(first..<(first + 4), with: [0x00, 0x00, 0xC0, 0x7F])
        try Data(nan).write(to: URL(fileURLWithPath: dir + "/nan.bin"))
        WV.assertError(try VectorFile.read(dir + "/nan.bin"), file: dir + "/nan.bin", contains: "not finite")
        WV.assertError(try VectorFile.read(dir + "/missing.bin"), file: dir + "/missing.bin", contains: "no such file")
        WV.assertError(try VectorFile.read(dir), file: dir, contains: "is a directory")
    }

    func testWordsWithWhitespaceCannotBeWritten() {
        let dir = WV.tempDir(self)
        let e = WordEmbedding(words: ["a b"], dimensions: 1, vectors: [1])
        WV.assertError(try VectorFile.write(e, to: dir + "/w.vec"), file: dir + "/w.vec", contains: "whitespace")
        XCTAssertEqual(WV.files(in: dir), [])
    }
}

extension Array where Element == UInt8 {
    func firstIndex(of b: UInt8, after i: Int) -> Int? { self[(i + 1)...].firstIndex(of: b) }
}
