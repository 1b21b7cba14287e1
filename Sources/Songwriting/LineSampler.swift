import Foundation
import Generation
import LyricsCore

/// Where a line starts: the part already written (the prompt's last line, for the first line).
struct LineStart {
    var text = ""
    var words: [String] = []
    /// A char model's word in progress (the prompt may end inside a word).
    var partial = ""
}

/// One sampled line: its token ids (what the model read after the start), the text it adds,
/// its words, its log-probability under the model (unmasked, temperature 1) and what it missed.
struct LineCandidate {
    var tokens: [Int32] = []
    var added = ""
    var text = ""
    var words: [String] = []
    var syllables = 0
    var logProb = 0.0
    var failures: [String] = []

    /// The model's state after the line's newline (what the writer goes on from if it is chosen).
    var state: [Float] = []
    /// Mean log-probability per character (newline included) under each judging model (the
    /// writing model first), filled by the writer when it chooses.
    var judged: [Double] = []

    /// Mean log-probability per character (newline included), so lines of different lengths
    /// compare: under the writing model alone, or the mean over the judging models.
    var score: Double { judged.isEmpty ? logProb / Double(added.count + 1) : judged.reduce(0, +) / Double(judged.count) }
}

/// Samples candidate lines from a model's own distribution, restricted token by token to what
/// can still meet the goal (renormalised over the allowed tokens): no line end before the
/// syllables are reached or on a word that does not rhyme, no word past the syllable count (word
/// models), no space where the count is reached (char models). The line's score is always the
/// unrestricted distribution's, so a line that had to be bent to fit scores low and loses.
///
/// Candidates are drawn as a batch of streams (`TokenStreams`: one matrix product per step for
/// all of them), each with its own goal; a stream that finishes keeps its state for the writer
/// to go on from, and idles (reading newlines) until the batch is done.
final class LineSampler {
    let model: TokenModel
    let sounds: WordSounds
    let index: OriginalityIndex?
    /// Theme words' bonus to their logits while sampling (word models; see `Theme`).
    var theme: Theme?
    private var work: [Float]
    private var all: [Float] = []
    private var scratch = Sampler.Scratch()
    let space: Int32?
    /// Word models: syllables of every token (the newline and forbidden tokens: 0).
    lazy var tokenSyllables: [Int] = model.tokens.map { $0 == "\n" ? 0 : sounds.syllables($0) }
    /// Word models: the theme's tokens with their bonus inside a line and at its end.
    private var themeTokens: [(id: Int, inside: Float, end: Float)] = []
    private var themeFor: Theme?
    /// Caps: a line longer than this is abandoned.
    let maxTokens: Int
    /// Streams made so far, by count (made once, reused for every line).
    private var streams: [Int: TokenStreams] = [:]

    init(model: TokenModel, sounds: WordSounds, index: OriginalityIndex?) {
        self.model = model
        self.sounds = sounds
        self.index = index
        work = [Float](repeating: 0, count: model.tokens.count)
        space = model.tokens.firstIndex(of: " ").map { Int32($0) }
        maxTokens = model.kind == .char ? 120 : 32
    }

    func endOK(_ word: String, _ goal: LineGoal) -> Bool {
        if goal.usedEnds.contains(word) { return false }
        if let a = goal.rhymeWith, !sounds.rhymes(word, a) { return false }
        if goal.rhymable, !sounds.isRhymable(word) { return false }
        return true
    }

    /// One candidate in progress.
    private struct Draft {
        var c = LineCandidate()
        var partial: String
        var used: Int
        var recent: [Int32]
        var last: Character?
        var done = false
        var abandoned = false
        var state: [Float]?
    }

    /// Candidates from the model's state `state`, one per goal, drawn together. `restricted ==
    /// false` samples freely (the last resort), ending a line at the cap. A nil entry: the
    /// restriction left nothing to write. Each candidate carries the model's state after its
    /// newline (`LineCandidate.state`).
    func sample(goals: [LineGoal], from state: [Float], start: LineStart, settings: SamplingSettings, recent: [Int32],
                random: inout SeededRandom, restricted: Bool = true) -> [LineCandidate?] {
        let n = goals.count
        guard n > 0 else { return [] }
        let streams = self.streams[n] ?? model.makeStreams(n)
        self.streams[n] = streams
        streams.start(from: state)
        let V = model.tokens.count, nl = model.newlineToken, isChar = model.kind == .char
        let startUsed = start.words.reduce(0) { $0 + sounds.syllables($1) }
        var drafts = [Draft](repeating: Draft(partial: start.partial, used: startUsed, recent: recent, last: start.text.last ?? "\n"), count: n)
        for s in 0..<n { drafts[s].c.text = start.text; drafts[s].c.words = start.words }
        if all.count != n * V { all = [Float](repeating: 0, count: n * V) }
        var next = [Int32](repeating: nl, count: n)
        let bonus = themeTable()
        var steps = 0
        while steps < maxTokens, drafts.contains(where: { !$0.done && !$0.abandoned }) {
            steps += 1
            all.withUnsafeMutableBufferPointer { streams.logits(into: $0) }
            for s in 0..<n {
                next[s] = nl
                guard !drafts[s].done, !drafts[s].abandoned else { continue }
                if let t = step(&drafts[s], row: s, goal: goals[s], settings: settings, bonus: bonus, restricted: restricted,
                                isChar: isChar, random: &random) {
                    next[s] = t
                } else {
                    drafts[s].abandoned = true
                }
            }
            streams.observe(next)
            for s in 0..<n where drafts[s].done && drafts[s].state == nil { drafts[s].state = streams.state(of: s) }
        }
        if !restricted, drafts.contains(where: { !$0.done && !$0.abandoned }) {
            // Free samples at the cap: the line ends here (a char model may stop after a space).
            for s in 0..<n where !drafts[s].done && !drafts[s].abandoned {
                while drafts[s].c.text.hasSuffix(" ") { drafts[s].c.text.removeLast(); drafts[s].c.added.removeLast() }
                drafts[s].c.tokens.append(nl)
                drafts[s].done = true
            }
            streams.observe([Int32](repeating: nl, count: n))
            for s in 0..<n where drafts[s].done && drafts[s].state == nil { drafts[s].state = streams.state(of: s) }
        }
        return (0..<n).map { s -> LineCandidate? in
            var d = drafts[s]
            guard d.done, !d.abandoned, let st = d.state else { return nil }
            if !d.partial.isEmpty { d.c.words.append(d.partial); d.used += sounds.syllables(d.partial) }
            d.c.syllables = d.used
            d.c.state = st
            d.c.failures = failures(d.c, goals[s])
            return d.c
        }
    }

    /// One token of one draft from row `row` of the batch's logits: the restriction, the draw,
    /// the bookkeeping. Nil when the draft is abandoned.
    private func step(_ d: inout Draft, row: Int, goal: LineGoal, settings: SamplingSettings, bonus: [(id: Int, inside: Float, end: Float)],
                      restricted: Bool,
                      isChar: Bool, random: inout SeededRandom) -> Int32? {
        let V = model.tokens.count, nl = model.newlineToken
        // The batch's row is the unrestricted distribution (the line's score); `work` is the
        // copy the restriction and the theme bend.
        let row = row * V
        for t in model.forbiddenTokens where Int(t) < V { all[row + Int(t)] = -.infinity }
        let lse = all.withUnsafeBufferPointer { RowSoftmax.logSumExp($0.baseAddress! + row, count: V) }
        all.withUnsafeBufferPointer { a in work.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: a[row..<(row + V)]) } }
        if !bonus.isEmpty {
            // The last word of the line: one that fills the syllables left, or the last of the words.
            let left = goal.syllables.map { $0 - d.used }
            let lastWord = goal.words.map { $0 - d.c.words.count == 1 } ?? false
            // A theme word already written lately gets no bonus: the theme widens the words, it
            // does not repeat one.
            let lately = Set(d.recent.suffix(24))
            for b in bonus where work[b.id] > -.infinity && !lately.contains(Int32(b.id)) {
                let ends = lastWord || (left.map { tokenSyllables[b.id] == $0 } ?? false)
                work[b.id] += ends ? b.end : b.inside
            }
        }
        if restricted {
            guard restrict(goal: goal, words: d.c.words, partial: d.partial, used: d.used, isChar: isChar) else { return nil }
        }
        // A line is never empty: a free line's first token may not end it (the model often
        // ends a line at once after a theme word finished the one above).
        if d.c.words.isEmpty, d.partial.isEmpty { work[Int(nl)] = -.infinity }
        let picked: Int32? = work.withUnsafeMutableBufferPointer {
            Sampler.sample($0, settings: settings, recent: d.recent[...], excluding: model.forbiddenTokens, random: &random, scratch: &scratch)
        }
        guard let t = picked else { return nil }
        d.c.logProb += Double(all[row + Int(t)]) - lse
        d.c.tokens.append(t)
        d.recent.append(t)
        if t == nl { d.done = true; return t }
        let spelled = model.tokens[Int(t)]
        let added = TokenText.spelling(spelled, kind: model.kind, after: d.last)
        d.c.added += added
        d.c.text += added
        d.last = added.last ?? d.last
        if !isChar {
            d.c.words.append(spelled)
            d.used += tokenSyllables[Int(t)]
        } else if t == space {
            if !d.partial.isEmpty { d.c.words.append(d.partial); d.used += sounds.syllables(d.partial) }
            d.partial = ""
        } else {
            d.partial += spelled
            // A word in progress far past the count, or no word at all: give up early.
            if restricted, d.partial.count > 24 { return nil }
            if restricted, let target = goal.syllables, d.partial.count > 3, d.used + sounds.syllables(d.partial) > target + 1 { return nil }
        }
        return t
    }

    /// The theme's tokens and bonuses (word models; empty without a theme or for char models).
    private func themeTable() -> [(id: Int, inside: Float, end: Float)] {
        guard let theme, model.kind == .word else { return [] }
        if themeFor != theme {
            themeTokens = model.tokens.enumerated().compactMap { i, w in
                theme.weights[w] == nil ? nil : (i, theme.bonus(w), theme.endBonus(w))
            }
            themeFor = theme
        }
        return themeTokens
    }

    /// A line that stammers: a word three times, or a pair of words twice ("of sorts of sorts").
    /// The likeliest lines under a language model are often such loops, so a writer that
    /// chooses by likelihood must refuse them.
    static func stammer(_ words: [String]) -> String? {
        var counts = [String: Int](), pairs = Set<String>()
        for (i, w) in words.enumerated() {
            counts[w, default: 0] += 1
            if counts[w]! >= 3 { return "'\(w)' three times in the line" }
            if i > 0 {
                let p = words[i - 1] + " " + w
                if !pairs.insert(p).inserted { return "'\(p)' twice in the line" }
            }
        }
        return nil
    }

    /// What the finished line misses of the goal.
    func failures(_ c: LineCandidate, _ goal: LineGoal) -> [String] {
        var f = [String]()
        if let t = goal.syllables, c.syllables != t { f.append("syllables: \(c.syllables) instead of \(t)") }
        else if let m = goal.meter, let miss = sounds.pronunciations.meterMisses(c.words, pattern: m), miss > 0 {
            f.append("meter: \(miss) of \(m.syllables) stresses against \(m)")
        }
        let end = c.words.last ?? ""
        if let a = goal.rhymeWith {
            if !sounds.rhymes(end, a) { f.append("rhyme: '\(end)' does not rhyme with '\(a)'") }
            else if goal.usedEnds.contains(end) { f.append("rhyme: '\(end)' already ends a line of this rhyme") }
        } else if goal.rhymable, !sounds.isRhymable(end) {
            f.append("rhyme: '\(end)' has few rhymes")
        }
        if let m = goal.maxCopy, let index, index.longestSharedRun(c.words) >= m {
            f.append("copy: shares \(index.longestSharedRun(c.words)) words in a row with the training text (max-copy \(m))")
        }
        if goal.avoid.contains(c.text) { f.append("repeat: the same as an earlier line") }
        if let r = Self.stammer(c.words) { f.append("repeat: \(r)") }
        return f
    }

    /// Sets `work` to -infinity for tokens that cannot lead to a line meeting the goal. False
    /// when nothing is left (the candidate is abandoned).
    private func restrict(goal: LineGoal, words: [String], partial: String, used: Int, isChar: Bool) -> Bool {
        let nl = Int(model.newlineToken)
        let needsEnd = goal.needsEnd
        if isChar {
            guard let sp = space.map(Int.init) else { return true }
            if let t = goal.syllables, needsEnd, used == t - 1 {
                // One syllable left: the word being spelt must be a one-syllable word that can
                // end the line, so letters are kept only along the spellings of such words.
                let prefixes = lastWordPrefixes(goal)
                for i in work.indices where i != sp && i != nl && work[i] > -.infinity {
                    if !prefixes.contains(partial + model.tokens[i]) { work[i] = -.infinity }
                }
            }
            if partial.isEmpty {
                // Lines never start with a space, hold two in a row or end after one.
                work[sp] = -.infinity
                work[nl] = -.infinity
                return work.contains { $0 > -.infinity }
            }
            let s = used + sounds.syllables(partial)
            if let t = goal.syllables, s >= t { work[sp] = -.infinity }
            let countOK = goal.syllables.map { s == $0 } ?? true
            let ends = needsEnd && endOK(partial, goal)
            if !countOK || (needsEnd && !ends) { work[nl] = -.infinity }
            // Without a count, a line of 4+ words ends at the first word that can end it (or
            // that word goes on): waiting for the model to end on a rhyme wastes candidates.
            if ends, goal.syllables == nil, words.count >= 3 { work[sp] = -.infinity }
            return work.contains { $0 > -.infinity }
        }
        let lastOK = words.last.map { !needsEnd || endOK($0, goal) } ?? false
        guard let t = goal.syllables else {
            guard let n = goal.words else {
                if !lastOK { work[nl] = -.infinity }
                return true
            }
            let r = n - words.count
            if r <= 0 {
                guard lastOK else { return false }
                for i in work.indices where i != nl { work[i] = -.infinity }
                return true
            }
            work[nl] = -.infinity
            if r == 1, needsEnd {
                let ends = endMask(goal)
                for i in work.indices where !ends[i] { work[i] = -.infinity }
            }
            return work.contains { $0 > -.infinity }
        }
        let r = t - used
        if r <= 0 {
            guard r == 0, lastOK else { return false }
            for i in work.indices where i != nl { work[i] = -.infinity }
            return true
        }
        work[nl] = -.infinity
        let ends = needsEnd ? endMask(goal) : []
        for i in work.indices where i != nl && work[i] > -.infinity {
            let s = tokenSyllables[i]
            if s > r || (s == r && needsEnd && !ends[i]) { work[i] = -.infinity }
        }
        return work.contains { $0 > -.infinity }
    }

    /// Word models: which tokens may end a line under `goal`, computed once per goal.
    private var endMaskGoal: (String?, Set<String>, Bool)?
    private var endMaskStorage: [Bool] = []
    private func endMask(_ goal: LineGoal) -> [Bool] {
        if let g = endMaskGoal, g.0 == goal.rhymeWith, g.1 == goal.usedEnds, g.2 == goal.rhymable { return endMaskStorage }
        endMaskStorage = model.tokens.map { $0 != "\n" && endOK($0, goal) }
        endMaskGoal = (goal.rhymeWith, goal.usedEnds, goal.rhymable)
        return endMaskStorage
    }

    /// Char models: every prefix of the one-syllable words that can end a line under `goal`.
    private var prefixGoal: (String?, Set<String>, Bool)?
    private var prefixStorage = Set<String>()
    private func lastWordPrefixes(_ goal: LineGoal) -> Set<String> {
        if let g = prefixGoal, g.0 == goal.rhymeWith, g.1 == goal.usedEnds, g.2 == goal.rhymable { return prefixStorage }
        var out = Set<String>()
        for w in sounds.oneSyllableEnds(rhymingWith: goal.rhymeWith, { endOK($0, goal) }) {
            var p = ""
            for c in w { p.append(c); out.insert(p) }
        }
        prefixStorage = out
        prefixGoal = (goal.rhymeWith, goal.usedEnds, goal.rhymable)
        return out
    }
}
