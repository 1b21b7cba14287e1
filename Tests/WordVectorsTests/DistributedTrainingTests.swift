import Foundation
import LyricsCore
import TestSupport
@testable import WordVectors
import XCTest

/// Word vectors over several ranks (`DistributedSkipGram`): the pieces without MPI (rank shares,
/// hot rows, the averaging schedule and arithmetic against a scripted second rank), then the
/// built `lyrics` under `mpirun -np 2` (skipped when Open MPI's `mpirun` is not on PATH).
final class DistributedTrainingTests: XCTestCase {
    // MARK: pieces, no MPI

    func testRankSharesEndAtLineEndsCoverTheStreamAndAreNeverEmpty() {
        // Lines of 3, 1 and 6 tokens ("</s>" = 0 included), then a last line without "</s>".
        let tokens = TokenIDs([5, 6, 0, 0, 7, 7, 7, 7, 7, 0, 8, 9])
        XCTAssertEqual(DistributedSkipGram.lineCount(tokens, newline: 0), 4)
        XCTAssertEqual(DistributedSkipGram.rankSlices(tokens, newline: 0, ranks: 1), [0..<12])
        XCTAssertEqual(DistributedSkipGram.rankSlices(tokens, newline: 0, ranks: 2), [0..<10, 10..<12])
        XCTAssertEqual(DistributedSkipGram.rankSlices(tokens, newline: 0, ranks: 3), [0..<4, 4..<10, 10..<12])
        XCTAssertEqual(DistributedSkipGram.rankSlices(tokens, newline: 0, ranks: 4), [0..<3, 3..<4, 4..<10, 10..<12])
        let text = TrainerTests.topicCorpus(lines: 500, seed: 9)
        let vocab = try! Vocabulary.build(from: text, minCount: 1)
        let ids = vocab.encode(text)
        for ranks in [2, 3, 7, 64] {
            let s = DistributedSkipGram.rankSlices(TokenIDs(ids), newline: vocab.newlineID, ranks: ranks)
            XCTAssertEqual(s.first?.lowerBound, 0)
            XCTAssertEqual(s.last?.upperBound, ids.count)
            for (a, b) in zip(s, s.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
            XCTAssertTrue(s.allSatisfy { !$0.isEmpty && ids[$0.upperBound - 1] == vocab.newlineID! }, "\(ranks)")
            XCTAssertLessThanOrEqual(s.map(\.count).max()! - s.map(\.count).min()!, 2 * 9, "shares within a line or two")
        }
        XCTAssertThrowsError(try DistributedSkipGram.checkRanks(3, lines: 2, file: "c.txt")) {
            XCTAssertEqual("\($0)", "c.txt: 3 ranks but only 2 lines of text to share among them; start at most 2 (mpirun -np 2) or use a larger corpus")
        }
    }

    func testHotRowsAreTheWordsCoveringEightyPercentUnlessGiven() throws {
        let vocab = Vocabulary(counts: [("a", 50), ("b", 20), ("c", 10), ("d", 10), ("e", 5), ("f", 5)])
        var c = SkipGramConfig()
        XCTAssertEqual(DistributedSkipGram.hotRows(config: c, vocabulary: vocab), 3)  // 80 of 100 tokens
        c.syncRows = 5
        XCTAssertEqual(DistributedSkipGram.hotRows(config: c, vocabulary: vocab), 5)
        c.syncRows = 50
        XCTAssertEqual(DistributedSkipGram.hotRows(config: c, vocabulary: vocab), 6)
        c.syncWords = 10
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("--sync-words")) }
        XCTAssertEqual(DistributedSkipGram.intervals(slices: [0..<1000, 1000..<1900], syncWords: 200), 4)
        XCTAssertEqual(DistributedSkipGram.intervals(slices: [0..<100, 100..<200], syncWords: 5000), 1)
    }

    /// A second rank that always holds this rank's values plus `offset`: every average moves the
    /// averaged rows by offset / 2 and leaves the others alone, so the schedule shows in the rows.
    final class ShiftedTwin: Communicator {
        let offset: Float
        var counts = [Int]()
        init(offset: Float) { self.offset = offset }
        var rank: Int { 0 }
        var size: Int { 2 }
        func allreduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) {
            counts.append(count)
            for i in 0..<count { values[i] = values[i] + (values[i] + offset) }
        }
        func allreduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) {}
        func allreduceMax(_ values: UnsafeMutablePointer<Double>, count: Int) {}
        func broadcast(_ bytes: UnsafeMutableRawPointer, count: Int, root: Int) {}
        func allgather(_ bytes: UnsafeRawPointer, count: Int, into: UnsafeMutableRawPointer) {}
        func abort(code: Int32) -> Never { fatalError() }
    }

    func testAveragerMakesTheSameCallsWhateverTheChunkSizesAndAveragesTheRightRows() {
        let v = 10, d = 3, hot = 4, epochs = 3
        for chunks in [[30, 30, 30, 10], [100], [1, 49, 50]] {
            let twin = ShiftedTwin(offset: 2)
            var syn0 = [Float](repeating: 1, count: v * d), syn1 = [Float](repeating: 0, count: v * d)
            syn0.withUnsafeMutableBufferPointer { s0 in
                syn1.withUnsafeMutableBufferPointer { s1 in
                    let avg = ModelAverager(world: twin, syn0: s0.baseAddress!, syn1: s1.baseAddress!, dimensions: d, vocabSize: v,
                                            hotRows: hot, epochs: epochs, intervals: 4, workerTokens: 100)
                    for _ in 0..<epochs { for c in chunks { avg.advance(words: c) } }
                    avg.finish()
                    XCTAssertEqual(avg.hotAverages, 9)
                    XCTAssertEqual(avg.fullAverages, 3)
                }
            }
            let hotCall = 2 * hot * d, fullCall = 2 * v * d
            XCTAssertEqual(twin.counts, [hotCall, hotCall, hotCall, fullCall, hotCall, hotCall, hotCall, fullCall,
                                         hotCall, hotCall, hotCall, fullCall], "\(chunks)")
            // Hot rows: 12 averages of +1; the rest: 3.
            XCTAssertEqual(syn0[0], 13); XCTAssertEqual(syn0[hot * d - 1], 13); XCTAssertEqual(syn0[hot * d], 4)
            XCTAssertEqual(syn1[0], 12); XCTAssertEqual(syn1[v * d - 1], 3)
        }
    }

    func testFingerprintSeesDataAndOptionsButNotThreads() throws {
        let text = TrainerTests.topicCorpus(lines: 50, seed: 1)
        let vocab = try Vocabulary.build(from: text, minCount: 1)
        let ids = TokenIDs(vocab.encode(text))
        var c = SkipGramConfig()
        let base = DistributedSkipGram.fingerprint(config: c, vocabulary: vocab, tokens: ids)
        c.threads = 7
        XCTAssertEqual(DistributedSkipGram.fingerprint(config: c, vocabulary: vocab, tokens: ids), base)
        c.syncWords = 1234
        XCTAssertNotEqual(DistributedSkipGram.fingerprint(config: c, vocabulary: vocab, tokens: ids), base)
        XCTAssertNotEqual(DistributedSkipGram.fingerprint(config: SkipGramConfig(), vocabulary: vocab, tokens: TokenIDs(ids.ids(0..<ids.count).reversed())), base)
    }

    // MARK: the built binary under mpirun

    /// A corpus with planted analogies: 8 roles × 8 groups of target words; each line holds one
    /// target among three context words of its role and three of its group (plus, half the time,
    /// a filler word), so a target's vector is about role + group and T(a,b') − T(a,b) + T(a',b)
    /// lands on T(a',b'). The questions are all 3,136 such quadruples (a ≠ a', b ≠ b').
    static func plantedAnalogies(lines: Int, seed: UInt64) -> (corpus: String, questions: String) {
        let roles = ["ba", "de", "fi", "go", "ku", "la", "me", "ni"]
        let groups = ["sar", "tor", "vir", "zur", "pen", "ral", "mok", "dus"]
        func target(_ a: Int, _ b: Int) -> String { roles[a] + groups[b] }
        let roleWords = roles.map { r in ["a", "b", "c"].map { "ro" + r + "x" + $0 } }
        let groupWords = groups.map { g in ["a", "b", "c"].map { "go" + g + "y" + $0 } }
        let fillers = ["the", "and", "of", "to", "in"]
        var rng = SeededRandom(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        var corpus = ""
        for _ in 0..<lines {
            let a = Int(rng.next() % 8), b = Int(rng.next() % 8)
            var words = (0..<3).map { _ in pick(roleWords[a]) } + (0..<3).map { _ in pick(groupWords[b]) }
            for i in stride(from: words.count - 1, to: 0, by: -1) { words.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            words.insert(target(a, b), at: 3)
            if rng.next() % 2 == 0 { words.insert(pick(fillers), at: Int(rng.next() % UInt64(words.count + 1))) }
            corpus += words.joined(separator: " ") + "\n"
        }
        var questions = ": planted\n"
        for a in 0..<8 { for a2 in 0..<8 where a2 != a { for b in 0..<8 { for b2 in 0..<8 where b2 != b {
            questions += "\(target(a, b)) \(target(a, b2)) \(target(a2, b)) \(target(a2, b2))\n"
        } } } }
        return (corpus, questions)
    }

    /// Runs `lyrics args...` under `mpirun -np ranks` (as root too); skips when mpirun is absent.
    func mpirun(_ ranks: Int, _ args: [String], wrapper: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let exe = try LyricsExecutable.orSkip(for: Self.self)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/mpirun") }) else {
            throw XCTSkip("mpirun is not on PATH (Debian: apt install openmpi-bin)")
        }
        // -q: no banners from mpirun itself, so stderr holds only what the ranks print.
        let launch = ["OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", "mpirun", "-q", "--oversubscribe", "-np", "\(ranks)"]
        let command = wrapper.map { ["sh", "-c", $0, exe.path] } ?? [exe.path]
        return try LyricsExecutable.run(URL(fileURLWithPath: "/usr/bin/env"), launch + command + args, in: WV.root)
    }

    func testTwoRanksScoreWithinOnePointOfOneProcess() throws {
        let dir = WV.tempDir(self)
        let (corpus, questions) = Self.plantedAnalogies(lines: 6000, seed: 11)
        WV.write(corpus, dir + "/c.txt")
        WV.write(questions, dir + "/q.txt")
        let options = ["vectors", "train", "--corpus", dir + "/c.txt", "--part", "all", "--dimensions", "24", "--min-count", "1",
                       "--threads", "1", "--seed", "3", "--sync-words", "4000", "--quiet"]
        let two = try mpirun(2, options + ["--out", dir + "/two", "--stats-out", dir + "/two.json"])
        XCTAssertEqual(two.status, 0, two.err)
        let one = try WV.runLyrics(options + ["--out", dir + "/one"], from: Self.self)
        XCTAssertEqual(one.status, 0, one.err)
        func accuracy(_ name: String) throws -> Double {
            try Evaluation.analogies(VectorFile.read(dir + "/" + name + ".vec"), file: dir + "/q.txt").total.accuracy * 100
        }
        let a1 = try accuracy("one"), a2 = try accuracy("two")
        print(String(format: "planted analogies: one process %.2f%%, 2 ranks %.2f%%", a1, a2))
        XCTAssertGreaterThan(a1, 90)
        XCTAssertLessThanOrEqual(abs(a1 - a2), 1)
        // Only rank 0 wrote, and every rank made the averages the schedule asks for.
        XCTAssertEqual(Set(WV.files(in: dir)), ["c.txt", "q.txt", "one.vec", "one.bin", "two.vec", "two.bin", "two.json"])
        let stats = try XCTUnwrap(WV.json(dir + "/two.json") as? [String: Any])
        let data = try TrainingData.load(corpus: dir + "/c.txt", part: .all, minCount: 1)
        let intervals = DistributedSkipGram.intervals(slices: DistributedSkipGram.rankSlices(data.tokens, newline: data.vocabulary.newlineID, ranks: 2),
                                                      syncWords: 4000)
        XCTAssertGreaterThan(intervals, 2)
        XCTAssertEqual(stats["ranks"] as? Int, 2)
        XCTAssertEqual(stats["hotAverages"] as? Int, 5 * (intervals - 1))
        XCTAssertEqual(stats["fullAverages"] as? Int, 5)
        XCTAssertEqual(stats["tokens"] as? Int, data.tokens.count)
    }

    func testRanksGivenDifferentCorporaAreRefusedWithOneLine() throws {
        let dir = WV.tempDir(self)
        WV.write(TrainerTests.topicCorpus(lines: 40, seed: 1), dir + "/c0.txt")
        WV.write(TrainerTests.topicCorpus(lines: 40, seed: 2), dir + "/c1.txt")
        // Each rank picks its own file by its rank number.
        let r = try mpirun(2, ["vectors", "train", "--part", "all", "--min-count", "1", "--out", dir + "/v", "--quiet"],
                           wrapper: "exec \"$0\" \"$@\" --corpus \(dir)/c$OMPI_COMM_WORLD_RANK.txt")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.err, "error: mpi: rank(s) 1 of 2 were started with a different corpus or options than rank 0; run the same command on the same files on every rank\n")
        XCTAssertEqual(Set(WV.files(in: dir)), ["c0.txt", "c1.txt"])
    }

    func testMoreRanksThanLinesIsOneErrorFromRankZero() throws {
        let dir = WV.tempDir(self)
        WV.write("sun sky sea sun sky sea\n", dir + "/one.txt")
        let r = try mpirun(2, ["vectors", "train", "--corpus", dir + "/one.txt", "--part", "all", "--min-count", "1", "--out", dir + "/v", "--quiet"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.err, "error: \(dir)/one.txt: 2 ranks but only 1 line of text to share among them; start at most 1 (mpirun -np 1) or use a larger corpus\n")
        XCTAssertEqual(WV.files(in: dir), ["one.txt"])
    }
}
