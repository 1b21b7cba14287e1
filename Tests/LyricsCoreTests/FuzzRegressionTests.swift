import Foundation
@testable import LyricsCore
import XCTest

/// Inputs the table and corpus fuzz targets (fuzz/Sources/FuzzTables, FuzzCorpus) found; each
/// must be refused with one clean error line.
final class TableFuzzRegressionTests: XCTestCase {
    /// FuzzTables crash-ed8ea31d: a CSV whose header has a quoted name with a CRLF in it and no
    /// lyrics column; the message listing the columns quoted the line break (two lines).
    func testColumnNameWithALineBreakIsListedOnOneLine() throws {
        let input = try XCTUnwrap(Data(base64Encoded: "77u/YXJhLCJsaW5lIG9uZQ0KbGluZSAiInR3byIiIg0KYixwbGFpbg0K"))
        XCTAssertThrowsError(try CorpusSource.tableSongs(data: input, file: "t.csv", format: .csv)) { error in
            let text = (error as? LyricsError)?.description ?? "not a LyricsError: \(error)"
            XCTAssertFalse(text.contains(where: \.isNewline), text)
            XCTAssertTrue(text.hasPrefix("t.csv: no 'lyrics' or 'text' column"), text)
            XCTAssertTrue(text.contains(#"line one\r\nline "two""#), text)
        }
    }

    func testOneLineEscapesEveryLineBreak() {
        XCTAssertEqual(LyricsError(file: "a\nb", "x\ry\u{2028}z\u{0}\tt").description, "a\\nb: x\\ry\\u{2028}z\\u{0}\tt")
        XCTAssertEqual(LyricsError("plain").description, "plain")
    }
}
