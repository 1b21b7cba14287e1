import LyricsCore
import XCTest

/// The progress line's rate and ETA count only what this process did: a run resumed at step
/// 900 of 1,000 that made 10 steps in 5 s runs at 2 steps/s with 45 s left (not 182/s and 0.5 s).
final class ProgressTests: XCTestCase {
    func testRateAndETAAfterAResume() {
        let resumed = ProgressReporter.estimate(done: 910, first: 900, total: 1000, seconds: 5)
        XCTAssertEqual(resumed.rate, 2, accuracy: 1e-12)
        XCTAssertEqual(resumed.eta, 45, accuracy: 1e-9)
        let fresh = ProgressReporter.estimate(done: 100, first: 0, total: 1000, seconds: 10)
        XCTAssertEqual(fresh.rate, 10, accuracy: 1e-12)
        XCTAssertEqual(fresh.eta, 90, accuracy: 1e-9)
        XCTAssertEqual(ProgressReporter.estimate(done: 900, first: 900, total: 1000, seconds: 1).eta, 0, "no rate yet: no ETA")
    }
}
