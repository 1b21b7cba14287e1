import XCTest
import LyricsCore
@testable import Songwriting

/// Meter from the CMU dictionary's stress digits: parsing `--meter`, each word's stresses, and
/// lines that scan or miss by hand-counted syllables.
final class MeterTests: XCTestCase {
    let dict = PronunciationsTests.dict

    func testParsesNamedMetersAndPatterns() throws {
        XCTAssertEqual(try MeterPattern.parse("iambic").map(\.description), ["01010101"])
        XCTAssertEqual(try MeterPattern.parse("Trochaic", syllables: [7, 6]).map(\.description), ["1010101", "101010"])
        XCTAssertEqual(try MeterPattern.parse("anapestic", syllables: [9]).map(\.description), ["001001001"])
        XCTAssertEqual(try MeterPattern.parse("0101010, 01010101").map(\.description), ["0101010", "01010101"])
        XCTAssertEqual(try MeterPattern.parse("0101", syllables: [4]).map(\.description), ["0101"])
    }

    func testBadMetersAreOneLineErrors() {
        XCTAssertThrowsError(try MeterPattern.parse("iamb")) { e in
            XCTAssertTrue("\(e)".hasPrefix("meter: 'iamb' is not a meter"), "\(e)")
        }
        XCTAssertThrowsError(try MeterPattern.parse("0102"))
        XCTAssertThrowsError(try MeterPattern.parse("01,,10"))
        XCTAssertThrowsError(try MeterPattern.parse("0101", syllables: [6])) { e in
            XCTAssertEqual("\(e)", "meter: pattern 0101 has 4 syllables where --syllables asks 6")
        }
    }

    func testWordStresses() {
        XCTAssertEqual(dict.meterStresses(of: "heaven"), [[1, 0]])
        XCTAssertEqual(dict.meterStresses(of: "night"), [[MeterStress.either]])
        XCTAssertEqual(dict.meterStresses(of: "beautiful"), [[1, 0, 0]])
        XCTAssertEqual(dict.meterStresses(of: "compare"), [[0, 1]])
    }

    func testLinesScanOrMissByTheirStresses() {
        let iambic10 = try! MeterPattern.parse("iambic", syllables: [10])[0]
        // shall i com-PARE thee to a SUM-mer day: every polysyllable falls on the beat.
        XCTAssertTrue(dict.scans("shall i compare thee to a summer day", pattern: iambic10))
        let iambic4 = MeterPattern(stresses: [0, 1, 0, 1]), trochaic4 = MeterPattern(stresses: [1, 0, 1, 0])
        // HEAV-en FALL-ing is trochaic: all four syllables against the iambs, none against trochees.
        XCTAssertEqual(dict.meterMisses(["heaven", "falling"], pattern: iambic4), 4)
        XCTAssertEqual(dict.meterMisses(["heaven", "falling"], pattern: trochaic4), 0)
        // Wrong syllable count: no reading fits.
        XCTAssertNil(dict.meterMisses(["heaven", "falling", "down"], pattern: iambic4))
        XCTAssertFalse(dict.scans("the heaven", pattern: iambic4))
    }
}
