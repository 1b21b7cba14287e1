import Foundation
import TestSupport
import LyricsCore
@testable import WordVectors
import XCTest

/// Paths and helpers shared by the WordVectors tests.
enum WV {
    static let root = LyricsExecutable.repositoryRoot
    static func repo(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static func fixture(_ name: String) -> String { repo("Tests/WordVectorsTests/Fixtures/" + name) }

    /// A fresh temporary directory, removed when the test ends.
    static func tempDir(_ test: XCTestCase) -> String {
        try! test.temporaryFolder("wv").path
    }

    /// Runs the built `lyrics` executable in the repository root: exit status, stdout, stderr.
    /// Skips the test when the executable was not built next to the test bundle.
    static func runLyrics(_ args: [String], from test: AnyClass) throws -> (status: Int32, out: String, err: String) {
        let exe = try LyricsExecutable.orSkip(for: test)
        return try LyricsExecutable.run(exe, args, in: root)
    }

    static func write(_ text: String, _ path: String) { try! Data(text.utf8).write(to: URL(fileURLWithPath: path)) }

    static func files(in dir: String) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] }

    static func json(_ path: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) }

    /// A small embedding with random but fixed values.
    static func randomEmbedding(words: [String], dim: Int, seed: UInt64 = 3) -> WordEmbedding {
        var rng = SeededRandom(seed: seed)
        return WordEmbedding(words: words, dimensions: dim, vectors: (0..<(words.count * dim)).map { _ in rng.nextGaussian() })
    }

    /// Asserts `body` throws a LyricsError whose text starts with `file` and contains `fragment`.
    static func assertError(_ body: @autoclosure () throws -> Any, file: String, contains fragment: String,
                            line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected an error mentioning '\(fragment)'", line: line)
        } catch let e as LyricsError {
            let text = "\(e)"
            XCTAssertTrue(text.hasPrefix(file + ": "), "error does not name \(file): \(text)", line: line)
            XCTAssertTrue(text.contains(fragment), "error '\(text)' lacks '\(fragment)'", line: line)
            XCTAssertFalse(text.contains("\n"), "error is not one line: \(text)", line: line)
        } catch {
            XCTFail("not a LyricsError: \(error)", line: line)
        }
    }
}

/// Checks that one training step moved every parameter by −α times the central-difference
/// gradient of the loss the step reports; `step(syn0, syn1, α)` returns the stepped matrices and
/// the loss at its inputs. Returns how many parameters had a non-zero gradient.
func checkStepIsMinusAlphaTimesGradient(syn0: [Float], syn1: [Float],
                                        step: ([Float], [Float], Float) -> ([Float], [Float], Double),
                                        file: StaticString = #filePath, line: UInt = #line) -> Int {
    let alpha: Float = 1e-3
    let (s0, s1, _) = step(syn0, syn1, alpha)
    func loss(_ a: [Float], _ b: [Float]) -> Double { step(a, b, 0).2 }
    let h: Float = 1e-2
    var checked = 0
    for which in 0..<2 {
        let base = which == 0 ? syn0 : syn1
        let updated = which == 0 ? s0 : s1
        for i in base.indices {
            var plus = base, minus = base
            plus[i] += h; minus[i] -= h
            let (lp, lm) = which == 0 ? (loss(plus, syn1), loss(minus, syn1)) : (loss(syn0, plus), loss(syn0, minus))
            let grad = (lp - lm) / Double(plus[i] - minus[i])
            let moved = Double(updated[i] - base[i]) / Double(alpha)
            XCTAssertEqual(moved, -grad, accuracy: 2e-3 + 1e-3 * abs(grad), "matrix \(which) index \(i)", file: file, line: line)
            if grad != 0 { checked += 1 }
        }
    }
    return checked
}
