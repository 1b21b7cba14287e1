import Foundation
import LyricsCore
@testable import WordVectors
import XCTest

/// Inputs the vector-file fuzz target (fuzz/Sources/FuzzVectors) found, and what reading the
/// reader for it showed; each must be refused with one clean error line.
final class VectorFuzzRegressionTests: XCTestCase {
    /// FuzzVectors crash-f926535f: a text file read as binary takes "A\nétoile" as one word, and
    /// the error quoted it with its line break, printing two lines. LyricsError escapes it now.
    func testWordWithALineBreakIsQuotedOnOneLine() throws {
        let input = try XCTUnwrap(Data(base64Encoded: "MiAzCnRoZSAwLjEgMC4yIDAuMyBBCsOpdG9pbGUgMSAyIDMgCg=="))
        XCTAssertThrowsError(try VectorFile.parse(input, file: "f.vec", format: .binary)) { error in
            let text = (error as? LyricsError)?.description ?? "not a LyricsError: \(error)"
            XCTAssertFalse(text.contains(where: \.isNewline), text)
            XCTAssertEqual(text, "f.vec: truncated: vector for 'A\\nétoile' has 7 of 12 bytes")
        }
    }

    /// Found by reading `ChunkReader(data:)` while speeding the target up: bytes in memory larger
    /// than one 4 MB chunk were copied whole into the window, past its end. Now they are pulled
    /// a chunk at a time, and a 5 MB file in memory reads like the same file on disk.
    func testBytesInMemoryLargerThanOneChunkRead() throws {
        let rows = 90_000
        var text = "\(rows) 8\n"
        for i in 0..<rows { text += "w\(i)" + String(repeating: " 0.125", count: 8) + "\n" }
        let data = Data(text.utf8)
        XCTAssertGreaterThan(data.count, ChunkReader.chunk)
        let e = try VectorFile.parse(data, file: "big.vec")
        XCTAssertEqual(e.count, rows)
        XCTAssertEqual(e.words.last, "w\(rows - 1)")
    }
}
