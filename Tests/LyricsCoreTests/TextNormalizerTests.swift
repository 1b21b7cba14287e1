import TestSupport
import XCTest
@testable import LyricsCore

final class TextNormalizerTests: XCTestCase {
    func testLowercasesStripsAccentsAndCollapsesSpaces() {
        let raw = "  Élan,  CAFÉ—naïve  \r\n\n\t O'er the   Hills!  \n"
        XCTAssertEqual(TextNormalizer.normalize(raw), "elan cafe naive\no'er the hills\n")
    }

    func testDropsEmptyLinesAndPunctuationOnlyLines() {
        XCTAssertEqual(TextNormalizer.normalize("a\n\n--\n  \nb"), "a\nb\n")
    }

    func testCombiningMarksAreDroppedNotSpaced() {
        // "e" followed by U+0301 COMBINING ACUTE ACCENT (NFD input).
        XCTAssertEqual(TextNormalizer.normalize("cafe\u{301} ok"), "cafe ok\n")
    }

    func testCharactersWithoutASCIIBaseBecomeSpaces() {
        XCTAssertEqual(TextNormalizer.normalize("straße æther 日本 ’tis"), "stra e ther tis\n")
    }

    func testInvalidUTF8IsRejectedWithOffsetAndFile() {
        let data = Data([0x61, 0x62, 0xFF, 0x63])
        XCTAssertThrowsError(try TextNormalizer.normalize(data: data, file: "bad.txt")) { error in
            XCTAssertEqual("\(error)", "bad.txt: not valid UTF-8 text (bad byte at offset 2)")
        }
        // Truncated multi-byte sequence at the end, and an overlong encoding of "/".
        XCTAssertThrowsError(try TextNormalizer.normalize(data: Data([0x61, 0xC3]), file: "t.txt"))
        XCTAssertThrowsError(try TextNormalizer.normalize(data: Data([0xC0, 0xAF]), file: "t.txt"))
    }

    func testNormalizationIsIdempotent() throws {
        let sample = try String(contentsOfFile: TestPaths.corpus("sonnets.txt"), encoding: .utf8)
        let once = TextNormalizer.normalize(sample)
        XCTAssertEqual(TextNormalizer.normalize(once), once)
        XCTAssertTrue(once.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x27 || $0 == 0x20 || $0 == 0x0A })
        XCTAssertFalse(once.contains("  "))
        XCTAssertFalse(once.contains("\n\n"))
        XCTAssertFalse(once.contains(" \n"))
        XCTAssertFalse(once.contains("\n "))
    }
}

enum TestPaths {
    static let root = LyricsExecutable.repositoryRoot
    static func corpus(_ name: String) -> String { root.appendingPathComponent("corpora").appendingPathComponent(name).path }
}
