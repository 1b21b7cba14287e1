import Foundation
import XCTest
import Evaluation

/// The sample-quality metrics on texts small enough to count by hand.
final class SampleMetricsTests: XCTestCase {
    /// A training text of two lines: "the night is deep" and "over the sea".
    struct FakeIndex: TrainingTextLookup {
        let training = [["the", "night", "is", "deep"], ["over", "the", "sea"]]
        /// Longest run of consecutive words inside one training line, 0 under 3 words (as the index).
        func longestSharedRun(_ words: [String]) -> Int {
            var best = 0
            for line in training {
                for i in words.indices {
                    for j in line.indices {
                        var l = 0
                        while i + l < words.count, j + l < line.count, words[i + l] == line[j + l] { l += 1 }
                        best = max(best, l)
                    }
                }
            }
            return best >= 3 ? best : 0
        }
        func isTrainingLine(_ words: [String]) -> Bool { training.contains(words) }
    }

    func testLinesSkipEmptyOnesAndSplitWords() {
        let l = SampleMetrics.lines("a b\n\nc\n")
        XCTAssertEqual(l, [["a", "b"], ["c"]])
        XCTAssertEqual(SampleMetrics.wordsPerLine(l), 1.5)
        XCTAssertEqual(SampleMetrics.wordsPerLine([]), 0)
    }

    func testDistinctCountsNGramsInsideLines() {
        // Unigrams: a, b = 2 distinct of 5; bigrams: (a b), (b a), (a b) = 2 distinct of 3.
        let l = SampleMetrics.lines("a b a\na b")
        XCTAssertEqual(SampleMetrics.distinct(l, n: 1)!, 2.0 / 5, accuracy: 1e-12)
        XCTAssertEqual(SampleMetrics.distinct(l, n: 2)!, 2.0 / 3, accuracy: 1e-12)
        // No bigram crosses the line end: "a\nb" has none.
        XCTAssertNil(SampleMetrics.distinct(SampleMetrics.lines("a\nb"), n: 2))
        XCTAssertEqual(SampleMetrics.distinct(SampleMetrics.lines("x y z"), n: 1), 1)
    }

    func testRepeatedLinesCountOnlyRepeats() {
        XCTAssertEqual(SampleMetrics.repeatedLineShare(SampleMetrics.lines("a\na\nb")), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(SampleMetrics.repeatedLineShare(SampleMetrics.lines("a\na\na\nb")), 2.0 / 4, accuracy: 1e-12)
        XCTAssertEqual(SampleMetrics.repeatedLineShare(SampleMetrics.lines("a b\nb a")), 0)
        XCTAssertEqual(SampleMetrics.repeatedLineShare([]), 0)
    }

    func testRepeatedWordNeedsMoreThanTwo() {
        let l = SampleMetrics.lines("love love me\nlove me love love\nla la la\nno no\n")
        XCTAssertEqual(l.map { SampleMetrics.repeatsWord($0) }, [false, true, true, false])
        XCTAssertEqual(SampleMetrics.repeatedWordLineShare(l), 0.5)
    }

    func testOriginalityAgainstAFakeIndex() {
        let l = SampleMetrics.lines("the night is deep\nwhere the night is cold\nover the sea\nsea")
        let o = SampleMetrics.originality(l, index: FakeIndex())
        XCTAssertEqual(o.longestRun, 4)
        XCTAssertEqual(o.trainingLineShare, 2.0 / 4, accuracy: 1e-12)
        XCTAssertEqual(SampleMetrics.originality(SampleMetrics.lines("a b\n"), index: FakeIndex()).longestRun, 0)
    }

    func testSampleQualityGathersTheFigures() {
        let q = SampleQuality(text: "the night is deep\nla la la\nla la la", source: "samples", temperature: 0.7, retrieval: "prior",
                              judgeBitsPerCharacter: 2.5, index: FakeIndex())
        XCTAssertEqual(q.lines, 3)
        XCTAssertEqual(q.wordsPerLine, 10.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(q.distinct1!, 5.0 / 10, accuracy: 1e-12)    // the night is deep la
        XCTAssertEqual(q.distinct2!, 4.0 / 7, accuracy: 1e-12)     // 3 + (la la)
        XCTAssertEqual(q.repeatedLineShare, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(q.repeatedWordLineShare, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(q.longestTrainingRun, 4)
        XCTAssertEqual(q.trainingLineShare!, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(q.judgeBitsPerCharacter, 2.5)
        let bare = SampleQuality(text: "a b", source: "held-out")
        XCTAssertNil(bare.longestTrainingRun)
        XCTAssertNil(bare.temperature)
    }
}
