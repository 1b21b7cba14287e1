import Foundation
import LyricsCore
@testable import Songwriting
import TestSupport
import XCTest

/// The originality index: exact lines, shared runs with their sources, the minimum run, agreement
/// with a brute-force search, and the on-disk cache.
final class OriginalityTests: XCTestCase {
    static let corpus = SampleVerse.copyCheck

    func tempDir() throws -> String {
        try temporaryFolder("sw").path
    }

    func testExactLinesAndRuns() {
        let index = OriginalityIndex.build(text: Self.corpus)
        XCTAssertEqual(index.lineCount, 6)
        let reports = index.check(lines: [
            "My love is like a red, red rose!",                       // exact copy of line 2 (first of two)
            "and then the quick brown fox jumps over everything",   // 6-word run from line 1
            "a quick brown fox jumps over nothing",                 // 5-word run: not at min-run 6
            "",                                                     // skipped, keeps numbering
            "the lazy dog my love is like",                         // would cross lines 1-2: no run
            "shall",                                                // not a whole line
        ], minRun: 6)
        XCTAssertEqual(reports.map(\.lineNumber), [1, 2, 3, 5, 6])
        XCTAssertEqual(reports[0].exactCopy, LineReport.Source(line: 2, text: "my love is like a red red rose"))
        XCTAssertEqual(reports[0].runs.map(\.length), [8])
        XCTAssertNil(reports[1].exactCopy)
        XCTAssertEqual(reports[1].runs, [LineReport.Run(start: 2, length: 6, words: "the quick brown fox jumps over",
                                                       source: LineReport.Source(line: 1, text: "the quick brown fox jumps over the lazy dog"))])
        XCTAssertEqual(reports[2].runs, [])
        XCTAssertFalse(reports[2].isFlagged)
        XCTAssertEqual(index.check(words: "a quick brown fox jumps over nothing".split(separator: " ").map(String.init), minRun: 5).runs.map(\.words),
                       ["quick brown fox jumps over"])
        XCTAssertEqual(reports[3].longestRun, 0)
        XCTAssertFalse(reports[4].isFlagged)
        let summary = OriginalitySummary(reports, minRun: 6)
        XCTAssertEqual(summary.lines, 5)
        XCTAssertEqual(summary.exactCopies, 1)
        XCTAssertEqual(summary.linesWithRuns, 2)
        XCTAssertEqual(summary.longestRun, 8)
        XCTAssertEqual(summary.exactShare, 0.2, accuracy: 1e-12)
        // Short lines are found exactly too, and the cheap candidate checks.
        XCTAssertTrue(index.isTrainingLine(["o", "my", "luve", "is", "like", "a", "melody"]))
        XCTAssertFalse(index.isTrainingLine(["o", "my", "luve"]))
        // A training line with more words after it is not that line.
        XCTAssertFalse(index.isTrainingLine("shall i compare thee to a summer's day and more".split(separator: " ").map(String.init)))
        XCTAssertTrue(index.occurs(["full", "of", "stars"]))
        XCTAssertFalse(index.occurs(["stars", "shall", "i"]))
        XCTAssertEqual(index.longestSharedRun(["i", "think", "the", "night", "is", "dark", "and", "full", "tonight"]), 6)
    }

    /// Longest shared runs against a brute-force search over a random corpus with many repeats.
    func testMatchesBruteForce() {
        var rng = SeededRandom(seed: 7)
        let vocab = (0..<12).map { "w\($0)" }
        func line(_ n: Int) -> [String] { (0..<n).map { _ in vocab[Int(rng.next() % 12)] } }
        let lines = (0..<300).map { _ in line(3 + Int(rng.next() % 9)) }
        let index = OriginalityIndex.build(text: lines.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n")
        func brute(_ q: [String]) -> Int {
            var best = 0
            for l in lines {
                for i in 0..<q.count {
                    for s in 0..<l.count {
                        var k = 0
                        while i + k < q.count && s + k < l.count && q[i + k] == l[s + k] { k += 1 }
                        best = max(best, k)
                    }
                }
            }
            return best
        }
        for _ in 0..<200 {
            let q = line(4 + Int(rng.next() % 10))
            let expected = brute(q)
            XCTAssertEqual(index.longestSharedRun(q), expected >= OriginalityIndex.gram ? expected : 0, q.joined(separator: " "))
        }
    }

    func testCacheRoundTripAndFingerprintRefusal() throws {
        let dir = try tempDir()
        let corpus = dir + "/c.txt"
        try Data(Self.corpus.utf8).write(to: URL(fileURLWithPath: corpus))
        let (built, wasBuilt) = try OriginalityIndex.cached(corpus: corpus, cacheDirectory: dir + "/cache")
        XCTAssertTrue(wasBuilt)
        let (loaded, rebuilt) = try OriginalityIndex.cached(corpus: corpus, cacheDirectory: dir + "/cache")
        XCTAssertFalse(rebuilt)
        XCTAssertEqual(loaded.fingerprint, try Fingerprint.of(file: corpus))
        let lines = ["my love is like a red red rose", "then the quick brown fox jumps over it"]
        XCTAssertEqual(loaded.check(lines: lines), built.check(lines: lines))
        XCTAssertEqual(loaded.tokens, built.tokens)
        XCTAssertEqual(loaded.positions, built.positions)
        // The only files: the index, no temporary left behind.
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/cache")
        XCTAssertEqual(files.count, 1)
        let file = dir + "/cache/" + files[0]
        XCTAssertThrowsError(try OriginalityIndex.load(from: file, expectedFingerprint: "fnv1a64:0:1")) { e in
            XCTAssertTrue((e as? LyricsError)?.description.hasPrefix(file + ": built from a different corpus") ?? false, "\(e)")
        }
        // A changed corpus gets its own index.
        try Data((Self.corpus + "one more line\n").utf8).write(to: URL(fileURLWithPath: corpus))
        let (changed, builtAgain) = try OriginalityIndex.cached(corpus: corpus, cacheDirectory: dir + "/cache")
        XCTAssertTrue(builtAgain)
        XCTAssertEqual(changed.lineCount, 7)
        // Damaged files are refused with one line naming them.
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        try data.prefix(data.count - 3).write(to: URL(fileURLWithPath: dir + "/short.idx"))
        XCTAssertThrowsError(try OriginalityIndex.load(from: dir + "/short.idx")) { e in
            XCTAssertEqual((e as? LyricsError)?.description, dir + "/short.idx: truncated originality index")
        }
        try Data("not an index at all".utf8).write(to: URL(fileURLWithPath: dir + "/junk.idx"))
        XCTAssertThrowsError(try OriginalityIndex.load(from: dir + "/junk.idx")) { e in
            XCTAssertEqual((e as? LyricsError)?.description, dir + "/junk.idx: not an originality index")
        }
    }

    /// Cached indexes are keyed by this fingerprint: its value is pinned (computed independently
    /// in Python: FNV-1a 64 over little-endian 8-byte words, then the tail bytes).
    func testFingerprintValueIsStable() {
        XCTAssertEqual(Fingerprint.of(text: "shall i compare thee\n"), "fnv1a64:6e712adb7668e519:21")
    }
}
