import XCTest
@testable import LyricsCore

/// The one FNV-1a: its values are stored in checkpoints and caches (vocabulary hashes, text
/// fingerprints), so they are pinned to the published FNV-1a 64 test vectors.
final class FNV1aTests: XCTestCase {
    func testPublishedVectors() {
        func hash(_ s: String) -> UInt64 {
            var s = s
            return s.withUTF8 { FNV1a.hash(bytes: UnsafeRawBufferPointer($0)) }
        }
        XCTAssertEqual(hash(""), 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(hash("a"), 0xAF63_DC4C_8601_EC8C)
        XCTAssertEqual(hash("foobar"), 0x8594_4171_F739_67E8)
    }

    func testPiecesHashAsTheWhole() {
        var whole = FNV1a(), pieces = FNV1a()
        let bytes: [UInt8] = Array("one\ntwo".utf8)
        bytes.withUnsafeBytes { whole.add(bytes: $0) }
        Array("one".utf8).withUnsafeBytes { pieces.add(bytes: $0) }
        pieces.add(UInt64(0x0A))
        Array("two".utf8).withUnsafeBytes { pieces.add(bytes: $0) }
        XCTAssertEqual(whole.value, pieces.value)
    }
}
