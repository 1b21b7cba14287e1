import LyricsCore
import XCTest

/// `TopK.select` against a full sort: random rows of every length around the 16-wide blocks,
/// with ties (few distinct values), −infinity and excluded tokens.
final class TopKTests: XCTestCase {
    func testMatchesAFullSort() {
        var rng = SeededRandom(seed: 11)
        for n in [1, 7, 15, 16, 17, 31, 33, 100, 1000, 4099] {
            for k in [1, 3, 10, 64] {
                let x: [Float] = (0..<n).map { _ in
                    let u = rng.nextFloat()
                    return u < 0.05 ? -.infinity : Float(Int(u * 40))   // ties on purpose
                }
                let excluded: [Int32] = n > 5 ? [2, Int32(n - 1)] : []
                var got = [Candidate]()
                x.withUnsafeBufferPointer { TopK.select($0, k: k, excluding: excluded, into: &got) }
                let want = x.enumerated().filter { $0.element > -.infinity && !excluded.contains(Int32($0.offset)) }
                    .sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
                    .prefix(k).map { Candidate(token: Int32($0.offset), logit: $0.element) }
                XCTAssertEqual(got, Array(want), "n \(n) k \(k)")
            }
        }
    }
}
