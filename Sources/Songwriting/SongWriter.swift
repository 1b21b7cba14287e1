import Foundation
import Generation
import LyricsCore

/// Writes a song line by line with any `TokenModel` (or several taking turns, for blends) under
/// a `SongSpec`: a rhyme scheme, syllables per line, parts with a chorus repeated verbatim, and
/// a cap on words copied from the training text.
///
/// For each line, candidate lines are drawn as a batch of streams from the writing model's
/// current state, from its own distribution (restricted token by token to what can still meet
/// the line's goal, see `LineSampler`), batch after batch until `spec.enough` meet it or
/// `spec.candidates` were tried; a line free of constraints draws `spec.choose` candidates in
/// one batch (default one: a single sample, as in plain generation). The winner is the candidate with the
/// best mean log-probability per character over the judging models (the writer, and each of
/// `judges` reading the same text: a char model judging a word model's lines and the other way
/// round, as Deep-speare and Hafez combined models to choose lines), plus the theme's share;
/// the writer goes on from the winner's state. When no candidate meets the goal the one missing
/// the fewest constraints (then the best scored) is kept and a note names the line: best
/// effort, bounded, never a hang.
public final class SongWriter {
    public let models: [TokenModel]
    /// Models that only score candidate lines (they read the prompt and every chosen line).
    public let judges: [TokenModel]
    public let pronunciations: Pronunciations
    public let index: OriginalityIndex?
    /// Words to lean towards (see `Theme`).
    public var theme: Theme? { didSet { for s in samplers { s.theme = theme } } }
    private let samplers: [LineSampler]
    private var judgeStreams: [Int: [TokenStreams]] = [:]
    /// Candidates drawn per batch of streams.
    static let batch = 16
    /// The theme's weight in the choice: nats per character for a line wholly on the theme.
    static let themeChoiceWeight = 1.0

    /// `index`: the training text's originality index, for `maxCopy` and for flagging copied
    /// lines in the result.
    public init(models: [TokenModel], judges: [TokenModel] = [], pronunciations: Pronunciations, index: OriginalityIndex? = nil) {
        precondition(!models.isEmpty)
        self.models = models
        self.judges = judges
        self.pronunciations = pronunciations
        self.index = index
        // Rhymes for a word model come from its own vocabulary; char models can spell anything.
        let sounds = WordSounds(pronunciations: pronunciations, referenceWords: models[0].kind == .word ? models[0].tokens : nil)
        samplers = models.map { LineSampler(model: $0, sounds: sounds, index: index) }
    }

    /// The first model's sampler (the co-writing studio writes with one model).
    var firstSampler: LineSampler { samplers[0] }

    public convenience init(model: TokenModel, judges: [TokenModel] = [], pronunciations: Pronunciations, index: OriginalityIndex? = nil) {
        self.init(models: [model], judges: judges, pronunciations: pronunciations, index: index)
    }

    /// Writes the song. `author(line, stanza)` picks the model of each line (default: the first).
    public func write(_ spec: SongSpec, prompt: String = "", sampling: SamplingSettings = SamplingSettings(), seed: UInt64 = 1,
                      author: (Int, Int) -> Int = { _, _ in 0 }) throws -> Song {
        if let p = spec.problem() { throw LyricsError(p) }
        if let p = sampling.problem() { throw LyricsError(p) }
        if spec.maxCopy != nil, index == nil { throw LyricsError("max-copy: needs the training text's index (--corpus FILE)") }
        var song = Song()
        var promptLines = TextNormalizer.normalize(prompt).trimmingCharacters(in: .newlines)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let firstStart = promptLines.popLast() ?? ""
        song.context = promptLines
        var recent = [[Int32]](repeating: [], count: models.count)
        for (m, model) in models.enumerated() {
            model.reset()
            for l in promptLines { model.observe(text: l + "\n") }
            model.observe(text: firstStart)
            recent[m] = model.encode(promptLines.map { $0 + "\n" }.joined() + firstStart)
        }
        for judge in judges {
            judge.reset()
            for l in promptLines { judge.observe(text: l + "\n") }
            judge.observe(text: firstStart)
        }
        var random = SeededRandom(seed: seed)
        var stanzaStart = [Int]()
        for (s, stanza) in spec.stanzas().enumerated() {
            stanzaStart.append(song.lines.count)
            if let r = stanza.repeats {
                // A chorus again: the same lines, read again by every model.
                for k in 0..<stanza.lines {
                    var line = song.lines[stanzaStart[r] + k]
                    let source = stanzaStart[r] + k
                    line.stanza = s
                    line.repeatOf = source
                    line.rhymesWith = line.rhymesWith.map { $0 - stanzaStart[r] + song.lines.count - k }
                    line.candidates = 0
                    line.logProbPerChar = nil
                    line.missed = []
                    for (m, model) in models.enumerated() {
                        model.observe(text: line.text + "\n")
                        recent[m] += model.encode(line.text + "\n")
                    }
                    for judge in judges { judge.observe(text: line.text + "\n") }
                    song.lines.append(line)
                }
                continue
            }
            for k in 0..<stanza.lines {
                let i = song.lines.count
                let above = song.lines[stanzaStart[s]..<i].map(\.text)
                let goal = LineGoal.forLine(k, stanzaLines: stanza.lines, above: above, spec: spec, avoid: Set(song.lines.map(\.text)))
                var line = SongLine(text: "", stanza: s, part: stanza.part, syllables: 0, targetSyllables: goal.syllables)
                if let scheme = spec.rhyme {
                    line.letter = String(scheme.letters[k % scheme.stanzaLength])
                    if goal.rhymeWith != nil { line.rhymesWith = stanzaStart[s] + scheme.anchor(of: k)! }
                }
                let m = min(max(author(i, s), 0), models.count - 1)
                let start = i == 0 ? Self.start(firstStart, kind: models[m].kind) : LineStart()
                let chosen = writeLine(sampler: samplers[m], start: start, goal: goal, spec: spec, sampling: sampling,
                                       recent: recent[m], random: &random, tried: &line.candidates)
                // Every model reads the chosen line; the writer from its saved state (done in writeLine).
                recent[m] += chosen.tokens
                for (o, other) in models.enumerated() where o != m {
                    other.observe(text: chosen.added + "\n")
                    recent[o] += other.encode(chosen.added + "\n")
                }
                for judge in judges { judge.observe(text: chosen.added + "\n") }
                line.text = chosen.text
                line.author = m
                line.syllables = chosen.syllables
                line.logProbPerChar = chosen.score
                line.missed = chosen.failures
                if line.rhymesWith != nil || goal.rhymable || (spec.rhyme?.hasPartner(k) ?? false) { line.rhymeWord = chosen.words.last }
                if let a = line.rhymesWith {
                    line.rhymes = samplers[m].sounds.rhymes(chosen.words.last ?? "", goal.rhymeWith ?? "")
                    if song.lines[a].rhymeWord == nil { song.lines[a].rhymeWord = song.lines[a].text.split(separator: " ").last.map(String.init) }
                }
                if !chosen.failures.isEmpty {
                    let where_ = stanza.part.map { " (\($0), stanza \(s + 1))" } ?? " (stanza \(s + 1))"
                    song.notes.append("line \(i + 1)\(where_) missed after \(line.candidates) candidates: \(chosen.failures.joined(separator: "; "))")
                }
                song.lines.append(line)
            }
        }
        if let index {
            for report in index.check(lines: song.lines.map(\.text), minRun: spec.maxCopy ?? OriginalityIndex.defaultMinRun)
            where report.isFlagged {
                song.lines[report.lineNumber - 1].copied = report
            }
        }
        return song
    }

    /// The first line continues the prompt's last line: its words (and a char model's word in
    /// progress) count toward the line's syllables.
    static func start(_ text: String, kind: ModelKind) -> LineStart {
        var words = text.split(separator: " ").map(String.init)
        var partial = ""
        if kind == .char, !text.hasSuffix(" "), let last = words.popLast() { partial = last }
        return LineStart(text: text, words: words, partial: partial)
    }

    /// Samples candidates for one line and leaves the model having read the chosen one (the
    /// first of `rankedCandidates`, from its own state).
    private func writeLine(sampler: LineSampler, start: LineStart, goal: LineGoal, spec: SongSpec, sampling: SamplingSettings,
                           recent: [Int32], random: inout SeededRandom, tried: inout Int) -> LineCandidate {
        let best = rankedCandidates(sampler: sampler, start: start, goal: goal, spec: spec, sampling: sampling, recent: recent,
                                    random: &random, tried: &tried)[0]
        sampler.model.restoreState(best.state)
        return best
    }

    /// Every candidate drawn for one line from the model's current state (which stays as it
    /// is), best first: fewest missed constraints, then the choice score (judged when there is
    /// more than one with the fewest). Never empty. The co-writing studio (`CoWriter`) shows the
    /// first few as alternatives.
    func rankedCandidates(sampler: LineSampler, start: LineStart, goal: LineGoal, spec: SongSpec, sampling: SamplingSettings,
                          recent: [Int32], random: inout SeededRandom, tried: inout Int) -> [LineCandidate] {
        let model = sampler.model
        let saved = model.saveState()
        var good = [LineCandidate](), missed = [LineCandidate]()
        func draw(_ goals: [LineGoal], restricted: Bool) {
            tried += goals.count
            for c in sampler.sample(goals: goals, from: saved, start: start, settings: sampling, recent: recent, random: &random,
                                    restricted: restricted).compactMap({ $0 }) {
                if c.failures.isEmpty { good.append(c) } else { missed.append(c) }
            }
        }
        if goal.isFree {
            draw([LineGoal](repeating: goal, count: max(1, spec.choose ?? 1)), restricted: false)
        } else {
            // Word models with a line end to meet and no syllable count: line lengths (in words)
            // from free samples, one per candidate in turn, so the last word is drawn among the
            // words that can end the line instead of waiting for one to come up.
            var lengths = [Int]()
            if model.kind == .word, goal.syllables == nil, goal.needsEnd {
                let before = good.count + missed.count
                draw([LineGoal](repeating: goal, count: 4), restricted: false)
                lengths = (good + missed)[before...].map { max($0.words.count, start.words.count + 1) }
            }
            var attempt = 0
            while good.count < spec.enough, attempt < spec.candidates {
                let n = min(Self.batch, spec.candidates - attempt)
                let goals = (0..<n).map { j -> LineGoal in
                    var g = goal
                    if !lengths.isEmpty { g.words = lengths[(attempt + j) % lengths.count] }
                    return g
                }
                attempt += n
                draw(goals, restricted: true)
            }
            if good.isEmpty && missed.isEmpty {
                // Nothing finished under the restriction: free samples, ended at the cap if need be.
                draw([LineGoal](repeating: goal, count: 4), restricted: false)
            }
        }
        let all = good + missed
        let fewest = all.map(\.failures.count).min()!
        var pool = all.filter { $0.failures.count == fewest }
        if pool.count > 1 { judge(&pool) }
        pool.sort { choiceScore($0) > choiceScore($1) }
        let rest = all.filter { $0.failures.count > fewest }.sorted { a, b in
            a.failures.count != b.failures.count ? a.failures.count < b.failures.count : a.score > b.score
        }
        return pool + rest
    }

    /// What the choice ranks: the judged score plus the theme's share of the line.
    private func choiceScore(_ c: LineCandidate) -> Double {
        c.score + (theme.map { Self.themeChoiceWeight * $0.share(c.words) } ?? 0)
    }

    /// Fills `judged` of every candidate: the writer's log-probability per character, then each
    /// judge's, read as a batch of streams from the judge's state (which stays as it was).
    private func judge(_ pool: inout [LineCandidate]) {
        for i in pool.indices { pool[i].judged = [pool[i].logProb / Double(pool[i].added.count + 1)] }
        guard !judges.isEmpty else { return }
        let n = pool.count
        for (j, judge) in judges.enumerated() {
            if judgeStreams[n] == nil { judgeStreams[n] = judges.map { $0.makeStreams(n) } }
            let streams = judgeStreams[n]![j]
            let saved = judge.saveState()
            streams.start(from: saved)
            let texts = pool.map { judge.encode($0.added + "\n") }
            let V = judge.tokens.count, nl = judge.newlineToken
            var logits = [Float](repeating: 0, count: n * V)
            var sums = [Double](repeating: 0, count: n)
            for t in 0..<(texts.map(\.count).max() ?? 0) {
                logits.withUnsafeMutableBufferPointer { streams.logits(into: $0) }
                logits.withUnsafeBufferPointer { all in
                    for s in 0..<n where t < texts[s].count {
                        let row = UnsafeBufferPointer(rebasing: all[(s * V)..<((s + 1) * V)])
                        sums[s] += Double(row[Int(texts[s][t])]) - Softmax.logSumExp(row)
                    }
                }
                streams.observe((0..<n).map { t < texts[$0].count ? texts[$0][t] : nl })
            }
            judge.restoreState(saved)
            for i in pool.indices { pool[i].judged.append(sums[i] / Double(pool[i].added.count + 1)) }
        }
    }
}
