import Foundation
import Generation
import LyricsCore

/// Writes a song line by line with any `TokenModel` (or several taking turns, for blends) under
/// a `SongSpec`: a rhyme scheme, syllables per line, parts with a chorus repeated verbatim, and
/// a cap on words copied from the training text.
///
/// For each line the writing model's state is saved; candidate lines are sampled from its own
/// distribution (restricted token by token to what can still meet the line's goal, see
/// `LineSampler`) until `spec.enough` meet it or `spec.candidates` were tried; the candidate with
/// the best log-probability per character under the model wins, and the model reads it from the
/// saved state. A line free of constraints is a single sample, as in plain generation. When no
/// candidate meets the goal the one missing the fewest constraints (then the best scored) is
/// kept and a note names the line: best effort, bounded, never a hang.
public final class SongWriter {
    public let models: [TokenModel]
    public let pronunciations: Pronunciations
    public let index: OriginalityIndex?
    private let samplers: [LineSampler]

    /// `index`: the training text's originality index, for `maxCopy` and for flagging copied
    /// lines in the result.
    public init(models: [TokenModel], pronunciations: Pronunciations, index: OriginalityIndex? = nil) {
        precondition(!models.isEmpty)
        self.models = models
        self.pronunciations = pronunciations
        self.index = index
        // Rhymes for a word model come from its own vocabulary; char models can spell anything.
        let sounds = WordSounds(pronunciations: pronunciations, referenceWords: models[0].kind == .word ? models[0].tokens : nil)
        samplers = models.map { LineSampler(model: $0, sounds: sounds, index: index) }
    }

    /// The first model's sampler (the co-writing studio writes with one model).
    var firstSampler: LineSampler { samplers[0] }

    public convenience init(model: TokenModel, pronunciations: Pronunciations, index: OriginalityIndex? = nil) {
        self.init(models: [model], pronunciations: pronunciations, index: index)
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
                    song.lines.append(line)
                }
                continue
            }
            for k in 0..<stanza.lines {
                let i = song.lines.count
                var goal = LineGoal(syllables: spec.syllables(forLine: k), meter: spec.meter(forLine: k), maxCopy: spec.maxCopy)
                var line = SongLine(text: "", stanza: s, part: stanza.part, syllables: 0, targetSyllables: goal.syllables)
                if let scheme = spec.rhyme {
                    line.letter = String(scheme.letters[k % scheme.stanzaLength])
                    if let a = scheme.anchor(of: k), stanzaStart[s] + a < i {
                        let anchor = stanzaStart[s] + a
                        line.rhymesWith = anchor
                        goal.rhymeWith = song.lines[anchor].rhymeWord ?? song.lines[anchor].text.split(separator: " ").last.map(String.init)
                        // Earlier lines of this rhyme may not end on the same word either.
                        for j in stanzaStart[s]..<i where song.lines[j].letter == line.letter {
                            if let w = song.lines[j].text.split(separator: " ").last { goal.usedEnds.insert(String(w)) }
                        }
                    } else if scheme.hasPartner(k), k + 1 < stanza.lines {
                        goal.rhymable = true
                    }
                }
                if !goal.isFree { goal.avoid = Set(song.lines.map(\.text)) }
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
    /// first of `rankedCandidates`).
    private func writeLine(sampler: LineSampler, start: LineStart, goal: LineGoal, spec: SongSpec, sampling: SamplingSettings,
                           recent: [Int32], random: inout SeededRandom, tried: inout Int) -> LineCandidate {
        let saved = sampler.model.saveState()
        let best = Self.rankedCandidates(sampler: sampler, start: start, goal: goal, spec: spec, sampling: sampling,
                                         recent: recent, random: &random, tried: &tried)[0]
        sampler.model.restoreState(saved)
        for t in best.tokens { sampler.model.observe(t) }
        return best
    }

    /// Every candidate sampled for one line from the model's current state, best first: fewest
    /// missed constraints, then the best score (a stable sort, so the first is the one `write`
    /// always kept). Never empty. The model is left in an arbitrary state; callers restore it.
    /// The co-writing studio (CoWriter) shows the first few as alternatives.
    static func rankedCandidates(sampler: LineSampler, start: LineStart, goal: LineGoal, spec: SongSpec, sampling: SamplingSettings,
                                 recent: [Int32], random: inout SeededRandom, tried: inout Int) -> [LineCandidate] {
        let model = sampler.model
        let saved = model.saveState()
        var good = [LineCandidate](), missed = [LineCandidate]()
        let budget = goal.isFree ? 1 : spec.candidates
        // Word models with a line end to meet and no syllable count: line lengths (in words)
        // from free samples, one per candidate in turn, so the last word is drawn among the
        // words that can end the line instead of waiting for one to come up.
        var lengths = [Int]()
        if model.kind == .word, goal.syllables == nil, goal.needsEnd {
            for _ in 0..<4 {
                model.restoreState(saved)
                tried += 1
                if let c = sampler.sample(from: start, goal: goal, settings: sampling, recent: recent, random: &random, restricted: false) {
                    if c.failures.isEmpty { good.append(c) } else { missed.append(c) }
                    lengths.append(max(c.words.count, start.words.count + 1))
                }
            }
        }
        for attempt in 0..<budget where good.count < spec.enough {
            model.restoreState(saved)
            tried += 1
            var goal = goal
            if !lengths.isEmpty { goal.words = lengths[attempt % lengths.count] }
            guard let c = sampler.sample(from: start, goal: goal, settings: sampling, recent: recent, random: &random) else { continue }
            if c.failures.isEmpty {
                good.append(c)
                if good.count >= spec.enough { break }
            } else {
                missed.append(c)
            }
        }
        if good.isEmpty && missed.isEmpty {
            // Nothing finished under the restriction: free samples, ended at the cap if need be.
            for _ in 0..<4 {
                model.restoreState(saved)
                tried += 1
                if let c = sampler.sample(from: start, goal: goal, settings: sampling, recent: recent, random: &random, restricted: false) {
                    missed.append(c)
                }
            }
        }
        return (good + missed).sorted { a, b in
            a.failures.count != b.failures.count ? a.failures.count < b.failures.count : a.score > b.score
        }
    }
}
