import Foundation
import Generation
import LyricsCore

/// One candidate line offered to the writer: its text, the model's mean log-probability per
/// character (the score candidates are ranked by), its syllables, its last word when it carries
/// a rhyme, what it missed of the line's goal, and the training line it copies (with an index).
public struct CandidateLine: Codable, Sendable, Equatable {
    public var text: String
    public var score: Double
    public var syllables: Int
    public var rhymeWord: String?
    public var missed: [String]
    public var copied: LineReport?
}

/// What a line had to do, as the studio shows it above the alternatives.
public struct LineGoalSummary: Codable, Sendable, Equatable {
    public var letter: String?
    public var rhymeWith: String?
    public var syllables: Int?
    public var meter: String?
}

/// A token the model may write next and its probability (temperature 1, the model's own).
public struct NextToken: Codable, Sendable, Equatable {
    public var token: String
    public var probability: Double
}

/// A word rhyming with the asked one, the model's probability of writing it next in the line's
/// context, and its syllables.
public struct RhymeOption: Codable, Sendable, Equatable {
    public var word: String
    public var probability: Double
    public var syllables: Int
}

/// The co-writing studio's model work over one model copy: ranked alternatives for any line of
/// a `SongDraft` (through the song writer's own candidate search), the next tokens at a cursor,
/// and rhyme words ranked by the model in context. Not thread-safe: one per model copy (the
/// server pools them). It remembers the model states after recently read contexts, because a
/// writer asks many things about the same lines above, and reading 30 lines again costs more than
/// the question.
public final class CoWriter {
    public let model: TokenModel
    let writer: SongWriter
    private var sampler: LineSampler { writer.firstSampler }
    /// Words the alternatives lean towards (see `Theme`).
    public var theme: Theme? {
        get { writer.theme }
        set { writer.theme = newValue }
    }
    /// The training text's index candidates are checked against (nil: none).
    public var index: OriginalityIndex? { writer.index }
    /// Recently read contexts (the lines joined with newlines) → state after them and the tokens
    /// read (for the repetition penalty), most recent last.
    private var remembered: [(key: String, state: [Float], recent: [Int32])] = []
    static let rememberedContexts = 32

    public init(model: TokenModel, pronunciations: Pronunciations, index: OriginalityIndex?) {
        self.model = model
        writer = SongWriter(model: model, pronunciations: pronunciations, index: index)
    }

    /// Leaves the model having read `context` (each line and its newline, after `reset`),
    /// resuming from the longest remembered prefix of whole lines; returns the tokens read.
    func read(_ context: [String]) -> [Int32] {
        let keys = (0...context.count).map { context.prefix($0).joined(separator: "\n") }
        var from = 0
        var recent = [Int32]()
        if let (j, hit) = (0...context.count).reversed().lazy.compactMap({ j in self.remembered.last { $0.key == keys[j] }.map { (j, $0) } }).first {
            model.restoreState(hit.state)
            recent = hit.recent
            from = j
        } else {
            model.reset()
        }
        if from < context.count {
            for line in context[from...] {
                let ids = model.encode(line + "\n")
                for t in ids { model.observe(t) }
                recent += ids
            }
            recent = Array(recent.suffix(256))
            remembered.removeAll { $0.key == keys[context.count] }
            remembered.append((keys[context.count], model.saveState(), recent))
            if remembered.count > Self.rememberedContexts { remembered.removeFirst() }
        }
        return recent
    }

    /// The goal of line `k` of stanza `s`, as shown to the writer.
    public func goalSummary(_ draft: SongDraft, stanza s: Int, line k: Int) -> LineGoalSummary {
        let g = draft.goal(stanza: s, line: k)
        return LineGoalSummary(letter: draft.letter(line: k).letter, rhymeWith: g.rhymeWith, syllables: g.syllables, meter: g.meter?.description)
    }

    /// Up to `count` different candidate lines for line `k` of stanza `s` (which may be the next
    /// unwritten one), conditioned on every line above it and beginning with `start` (text the
    /// writer already has on the line), under the line's goal; best first (lines meeting the
    /// goal first, then by score). Searches at most `spec.candidates` lines.
    public func alternatives(_ draft: SongDraft, stanza s: Int, line k: Int, start: String = "", count: Int,
                             sampling: SamplingSettings, seed: UInt64) throws -> [CandidateLine] {
        if let p = sampling.problem() { throw LyricsError(p) }
        let goal = draft.goal(stanza: s, line: k)
        var recent = read(draft.context(stanza: s, line: k))
        let startText = TextNormalizer.normalize(start).trimmingCharacters(in: .newlines)
        let lineStart = SongWriter.start(startText, kind: model.kind)
        if !startText.isEmpty {
            let ids = model.encode(startText)
            for t in ids { model.observe(t) }
            recent += ids
        }
        let saved = model.saveState()
        var spec = draft.spec
        // Enough lines meeting the goal to offer `count` different ones, a few spare for repeats.
        spec.enough = count + 3
        spec.choose = count + 3
        var random = SeededRandom(seed: seed)
        var found = [LineCandidate]()
        var seen = Set<String>()
        var tried = 0
        // A free line draws `spec.choose` candidates per search (one batch); search again until
        // there are enough different ones.
        for _ in 0..<(goal.isFree ? count * 3 : 1) where found.count < count {
            model.restoreState(saved)
            for c in writer.rankedCandidates(sampler: sampler, start: lineStart, goal: goal, spec: spec, sampling: sampling,
                                                 recent: recent, random: &random, tried: &tried) where seen.insert(c.text).inserted {
                found.append(c)
            }
        }
        model.restoreState(saved)
        if goal.isFree { found.sort { $0.score > $1.score } }
        let top = Array(found.prefix(count))
        let reports = writer.index.map { index in
            top.map { index.check(words: $0.words, minRun: spec.maxCopy ?? OriginalityIndex.defaultMinRun) }
        }
        return top.enumerated().map { i, c in
            CandidateLine(text: c.text, score: c.score, syllables: c.syllables,
                          rhymeWord: goal.needsEnd ? c.words.last : nil, missed: c.failures,
                          copied: reports.flatMap { $0[i].isFlagged ? $0[i] : nil })
        }
    }

    /// The `count` tokens the model most likely writes next after the lines above line `k` of
    /// stanza `s` and `text` (the line up to the cursor), with their probabilities; the line's
    /// end (the newline) and forbidden tokens are left out, the newline's probability returned
    /// apart. Words for word models, characters for char models.
    public func nextTokens(_ draft: SongDraft, stanza s: Int, line k: Int, text: String, count: Int) -> (tokens: [NextToken], endOfLine: Double) {
        _ = read(draft.context(stanza: s, line: k))
        let t = TextNormalizer.normalize(text).trimmingCharacters(in: .newlines)
        for id in model.encode(t) { model.observe(id) }
        var p = [Double]()
        model.distribution(into: &p)
        let nl = Int(model.newlineToken)
        var heap = [Candidate]()
        p.map(Float.init).withUnsafeBufferPointer {
            TopK.select($0, k: count, excluding: model.forbiddenTokens + [model.newlineToken], into: &heap)
        }
        return (heap.map { NextToken(token: model.tokens[Int($0.token)], probability: p[Int($0.token)]) }, p[nl])
    }

    /// Up to `count` words that rhyme with `word`, most likely first under the model after the
    /// lines above line `k` of stanza `s` and `text` (the line before its last word): a word
    /// model's vocabulary scored in one step; for a char model the dictionary's rhymes (at most
    /// `charCandidates`, shortest first), each spelt out.
    public func rhymes(with word: String, _ draft: SongDraft, stanza s: Int, line k: Int, text: String, count: Int) -> [RhymeOption] {
        let target = TextNormalizer.normalize(word).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = read(draft.context(stanza: s, line: k))
        let t = TextNormalizer.normalize(text).trimmingCharacters(in: .newlines)
        for id in model.encode(t) { model.observe(id) }
        let sounds = sampler.sounds
        var options = [RhymeOption]()
        if model.kind == .word {
            var p = [Double]()
            model.distribution(into: &p)
            for (i, w) in model.tokens.enumerated() where p[i] > 0 && Self.isWord(w) && sounds.rhymes(w, target)
                && !sounds.pronunciations.dictionaryPronunciations(of: w).isEmpty {
                options.append(RhymeOption(word: w, probability: p[i], syllables: sounds.syllables(w)))
            }
        } else {
            if !t.isEmpty, !t.hasSuffix(" ") { model.observe(text: " ") }
            let saved = model.saveState()
            let words = sounds.dictionaryWords(rhymingWith: target).filter { Self.isWord($0) && $0.allSatisfy { $0.isLetter || $0 == "'" } }
                .sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }.prefix(Self.charCandidates)
            var p = [Double]()
            for w in words {
                model.restoreState(saved)
                var logp = 0.0
                for id in model.encode(w) {
                    model.distribution(into: &p)
                    logp += log(max(p[Int(id)], 1e-300))
                    model.observe(id)
                }
                options.append(RhymeOption(word: w, probability: exp(logp), syllables: sounds.syllables(w)))
            }
        }
        return Array(options.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.word < $1.word }.prefix(count))
    }

    /// A word worth offering: letters with at most inner apostrophes, one letter only for
    /// "a" and "i" (a vocabulary also holds fragments such as "'t" or "d").
    static func isWord(_ w: String) -> Bool {
        guard let f = w.first, let l = w.last, f.isLetter, l.isLetter else { return false }
        return w.count > 1 || w == "a" || w == "i"
    }

    /// Rhymes a char model spells out and scores at most (each costs a step per letter).
    public static let charCandidates = 120
}
