import Foundation
import Generation
import LyricsCore

/// What one line must do: end on a word that rhymes with `rhymeWith` (not a word in `usedEnds`),
/// or on a word later lines can rhyme with (`rhymable`); have exactly `syllables`; not copy
/// `maxCopy` words of the training text in a row; not repeat an earlier line.
struct LineGoal {
    var syllables: Int?
    /// Stresses the line must follow (its syllables are `syllables`).
    var meter: MeterPattern?
    var rhymeWith: String?
    var usedEnds: Set<String> = []
    var rhymable = false
    var maxCopy: Int?
    var avoid: Set<String> = []
    /// Word models without a syllable count: the line's length in words, drawn per candidate
    /// from free samples, so the last word can be drawn among the rhyming ones.
    var words: Int?

    var needsEnd: Bool { rhymeWith != nil || rhymable || !usedEnds.isEmpty }

    var isFree: Bool { syllables == nil && meter == nil && rhymeWith == nil && !rhymable && maxCopy == nil }
}

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

    /// Mean log-probability per character (newline included), so lines of different lengths
    /// compare; the choice among candidates that meet the goal.
    var score: Double { logProb / Double(added.count + 1) }
}

/// Samples candidate lines from a model's own distribution, restricted token by token to what
/// can still meet the goal (renormalised over the allowed tokens): no line end before the
/// syllables are reached or on a word that does not rhyme, no word past the syllable count (word
/// models), no space where the count is reached (char models). The line's score is always the
/// unrestricted distribution's, so a line that had to be bent to fit scores low and loses.
final class LineSampler {
    let model: TokenModel
    let sounds: WordSounds
    let index: OriginalityIndex?
    private var raw: [Float]
    private var work: [Float]
    private var scratch = Sampler.Scratch()
    private let space: Int32?
    /// Word models: syllables of every token (the newline and forbidden tokens: 0).
    private lazy var tokenSyllables: [Int] = model.tokens.map { $0 == "\n" ? 0 : sounds.syllables($0) }
    /// Caps: a line longer than this is abandoned.
    let maxTokens: Int

    init(model: TokenModel, sounds: WordSounds, index: OriginalityIndex?) {
        self.model = model
        self.sounds = sounds
        self.index = index
        raw = [Float](repeating: 0, count: model.tokens.count)
        work = raw
        space = model.tokens.firstIndex(of: " ").map { Int32($0) }
        maxTokens = model.kind == .char ? 120 : 32
    }

    func endOK(_ word: String, _ goal: LineGoal) -> Bool {
        if goal.usedEnds.contains(word) { return false }
        if let a = goal.rhymeWith, !sounds.rhymes(word, a) { return false }
        if goal.rhymable, !sounds.isRhymable(word) { return false }
        return true
    }

    /// One line from the model's current state. `restricted == false` samples freely (the last
    /// resort), ending the line at the cap. Nil when the restriction leaves nothing to write.
    func sample(from start: LineStart, goal: LineGoal, settings: SamplingSettings, recent: [Int32],
                random: inout SeededRandom, restricted: Bool = true) -> LineCandidate? {
        var c = LineCandidate()
        c.text = start.text
        c.words = start.words
        var partial = start.partial
        var used = start.words.reduce(0) { $0 + sounds.syllables($1) }
        var recent = recent
        let nl = model.newlineToken, isChar = model.kind == .char
        var last: Character? = start.text.last ?? "\n"
        var finished = false
        while c.tokens.count < maxTokens {
            raw.withUnsafeMutableBufferPointer { model.logits(into: $0) }
            for t in model.forbiddenTokens where Int(t) < raw.count { raw[Int(t)] = -.infinity }
            let lse = raw.withUnsafeBufferPointer(Softmax.logSumExp)
            // Copy in place: no allocation per token.
            raw.withUnsafeBufferPointer { r in work.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: r) } }
            if restricted {
                guard restrict(goal: goal, words: c.words, partial: partial, used: used, isChar: isChar) else { return nil }
            }
            let next: Int32? = work.withUnsafeMutableBufferPointer {
                Sampler.sample($0, settings: settings, recent: recent[...], excluding: model.forbiddenTokens, random: &random, scratch: &scratch)
            }
            guard let t = next else { return nil }
            c.logProb += Double(raw[Int(t)]) - lse
            model.observe(t)
            c.tokens.append(t)
            recent.append(t)
            if t == nl { finished = true; break }
            let spelled = model.tokens[Int(t)]
            let added = TokenText.spelling(spelled, kind: model.kind, after: last)
            c.added += added
            c.text += added
            last = added.last ?? last
            if !isChar {
                c.words.append(spelled)
                used += tokenSyllables[Int(t)]
            } else if t == space {
                if !partial.isEmpty { c.words.append(partial); used += sounds.syllables(partial) }
                partial = ""
            } else {
                partial += spelled
                // A word in progress far past the count, or no word at all: give up early.
                if restricted, partial.count > 24 { return nil }
                if restricted, let target = goal.syllables, partial.count > 3, used + sounds.syllables(partial) > target + 1 { return nil }
            }
        }
        if !finished {
            guard !restricted else { return nil }
            // Free sample at the cap: the line ends here (a char model may stop after a space).
            while c.text.hasSuffix(" ") { c.text.removeLast(); c.added.removeLast() }
            c.tokens.append(nl)
            model.observe(nl)
        }
        if !partial.isEmpty { c.words.append(partial); used += sounds.syllables(partial) }
        c.syllables = used
        c.failures = failures(c, goal)
        return c
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
