import Foundation
import LyricsCore
import Songwriting
import XCTest

/// Inputs the song-spec fuzz target (fuzz/Sources/FuzzSongSpec) found; each must be refused
/// with one clean error line naming the field.
final class SpecFuzzRegressionTests: XCTestCase {
    /// FuzzSongSpec crash (input ADgsHgAACgAHMgA=): a meter of one line break was quoted as it
    /// was, so the error printed on two lines.
    func testMeterOfALineBreakIsRefusedOnOneLine() {
        XCTAssertThrowsError(try MeterPattern.parse("\n")) { error in
            let text = (error as? LyricsError)?.description ?? "not a LyricsError: \(error)"
            XCTAssertFalse(text.contains(where: \.isNewline), text)
            XCTAssertTrue(text.hasPrefix("meter: '\\n' is not a meter"), text)
        }
        XCTAssertThrowsError(try RhymeScheme(parsing: "A\nB")) { error in
            XCTAssertFalse("\(error)".contains(where: \.isNewline), "\(error)")
        }
    }
}
