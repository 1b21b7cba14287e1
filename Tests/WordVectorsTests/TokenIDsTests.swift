import XCTest
@testable import WordVectors

/// The two-byte token store gives back exactly the ids it was given, from any starting point:
/// ids past 65,534 (a vocabulary's rarest words) go through the escape list, and a walk that
/// starts inside a block counts the escapes before it.
final class TokenIDsTests: XCTestCase {
    func testEveryRangeDecodesToTheIdsItWasGiven() {
        var rng = SystemRandomNumberGenerator()
        // Mostly small ids, some escapes (including 65,535 itself, the escape's own value) in runs.
        let ids: [Int32] = (0..<20_000).map { i in
            if i % 997 == 0 || (i >= 8190 && i < 8200) { return Int32(65_535 + (i % 3) * 40_000) }
            return Int32.random(in: 0..<65_535, using: &rng)
        }
        let stored = TokenIDs(ids)
        XCTAssertEqual(stored.count, ids.count)
        XCTAssertEqual(stored.ids(0..<ids.count), ids)
        XCTAssertLessThan(stored.bytes, ids.count * 2 + 4_000, "two bytes a token plus the escapes")
        for _ in 0..<200 {
            let a = Int.random(in: 0..<ids.count), b = Int.random(in: a...ids.count)
            XCTAssertEqual(stored.ids(a..<b), Array(ids[a..<b]), "\(a)..<\(b)")
        }
        var walked = [Int32]()
        stored.forEachChunk(size: 777) { chunk, first in
            XCTAssertEqual(first, walked.count)
            walked += chunk
        }
        XCTAssertEqual(walked, ids)
        XCTAssertEqual(stored.last, ids.last)
        XCTAssertNil(TokenIDs().last)
    }

    /// Built piece by piece (as the streamed corpus load does) equals built at once.
    func testAppendingInPiecesEqualsBuildingAtOnce() {
        let ids: [Int32] = (0..<10_000).map { Int32(($0 * 7919) % 70_000) }
        var pieces = TokenIDs()
        var start = 0
        for size in [1, 4095, 1, 3000, 2903] {
            pieces.append(contentsOf: Array(ids[start..<(start + size)]))
            start += size
        }
        XCTAssertEqual(start, ids.count)
        XCTAssertEqual(pieces, TokenIDs(ids))
        XCTAssertEqual(pieces.ids(4090..<4200), Array(ids[4090..<4200]))
    }
}
