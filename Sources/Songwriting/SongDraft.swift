import Foundation
import LyricsCore

/// A song in progress as the co-writing studio holds it: the written lines of each stanza of
/// the spec's plan (a stanza that repeats an earlier one, a chorus again, holds no lines of its
/// own: it shows its source's). The server keeps no song; every request brings its draft, so the
/// page (and any script) owns the song, and the rules below are the only place that derives a
/// line's context and goal from it.
public struct SongDraft: Sendable, Equatable {
    public var spec: SongSpec
    /// Written lines per stanza, in plan order (missing stanzas or lines: not written yet; empty
    /// strings: blank lines, skipped as context).
    public var stanzas: [[String]]

    public init(spec: SongSpec, stanzas: [[String]]) {
        self.spec = spec
        self.stanzas = stanzas
    }

    /// The stanzas the song has, in order: the structure's parts (a chorus after the first
    /// repeats it), else the spec's lines in stanzas of the scheme's length.
    public var plan: [SongSpec.Stanza] { spec.stanzas() }

    /// The lines stanza `s` shows: its own, or those of the stanza it repeats.
    public func lines(ofStanza s: Int) -> [String] {
        let plan = self.plan
        guard s < plan.count else { return [] }
        let own = plan[s].repeats ?? s
        return own < stanzas.count ? Array(stanzas[own].prefix(plan[s].lines)) : []
    }

    /// Everything above line `k` of stanza `s`, in reading order, blank lines left out: what the
    /// model has read before it writes that line.
    public func context(stanza s: Int, line k: Int) -> [String] {
        var out = [String]()
        for t in 0..<s { out += lines(ofStanza: t) }
        out += lines(ofStanza: s).prefix(k)
        return out.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Every line of the song but line `k` of stanza `s` (a line must not repeat another).
    func otherLines(stanza s: Int, line k: Int) -> Set<String> {
        var out = Set<String>()
        for t in 0..<plan.count where plan[t].repeats == nil {
            for (j, l) in lines(ofStanza: t).enumerated() where !(t == s && j == k) && !l.isEmpty { out.insert(l) }
        }
        return out
    }

    /// The scheme's letter of line `k` of a stanza, and the earlier line of the stanza it must
    /// rhyme with (the first of its letter).
    public func letter(line k: Int) -> (letter: String?, anchor: Int?) {
        guard let scheme = spec.rhyme else { return (nil, nil) }
        return (String(scheme.letters[k % scheme.stanzaLength]), scheme.anchor(of: k))
    }

    /// What line `k` of stanza `s` must do: `LineGoal.forLine`, the song writer's rule.
    func goal(stanza s: Int, line k: Int) -> LineGoal {
        let plan = self.plan
        return LineGoal.forLine(k, stanzaLines: s < plan.count ? plan[s].lines : 0, above: Array(lines(ofStanza: s).prefix(k)),
                                spec: spec, avoid: otherLines(stanza: s, line: k))
    }

}

/// What the studio shows beside a line: its syllables (and the target), its scheme letter, the
/// line it rhymes with and whether it does, meter misses, and the training line it copies.
public struct LineAnalysis: Codable, Sendable, Equatable {
    public struct Position: Codable, Sendable, Equatable {
        public var stanza: Int
        public var line: Int
        public init(stanza: Int, line: Int) { self.stanza = stanza; self.line = line }
    }

    public var syllables: Int
    public var targetSyllables: Int?
    public var letter: String?
    public var rhymeWord: String?
    public var rhymesWith: Position?
    public var rhymes: Bool?
    /// Stresses against the meter (nil: no meter, or a word without a pronunciation).
    public var meterMisses: Int?
    public var copied: LineReport?
}

extension SongDraft {
    /// Every line of every stanza of the plan (repeats and unwritten lines included), analysed. `index`: the
    /// training text's, to flag copies (with `spec.maxCopy` as the run, else the default).
    public func analysis(pronunciations: Pronunciations, index: OriginalityIndex?) -> [[LineAnalysis]] {
        let plan = self.plan
        var out = [[LineAnalysis]]()
        var all = [String]()
        for s in plan.indices {
            let lines = self.lines(ofStanza: s)
            var row = [LineAnalysis]()
            // Every line of the plan, written or not (an unwritten one: its letter and target).
            for k in 0..<plan[s].lines {
                let text = k < lines.count ? lines[k] : ""
                var a = LineAnalysis(syllables: pronunciations.syllables(of: text), targetSyllables: spec.syllables(forLine: k))
                let (letter, anchor) = self.letter(line: k)
                a.letter = letter
                if letter != nil, let end = LineGoal.lastWord(text) {
                    let partnered = anchor != nil || (spec.rhyme?.hasPartner(k) ?? false)
                    if partnered { a.rhymeWord = end }
                    if let anchor, anchor < lines.count, let other = LineGoal.lastWord(lines[anchor]) {
                        a.rhymesWith = .init(stanza: s, line: anchor)
                        a.rhymes = pronunciations.rhymes(end, other)
                    }
                }
                if let m = spec.meter(forLine: k) {
                    let words = TextNormalizer.normalize(text).split(separator: " ").map(String.init)
                    if !words.isEmpty { a.meterMisses = pronunciations.meterMisses(words, pattern: m) }
                }
                row.append(a)
                all.append(text)
            }
            out.append(row)
        }
        if let index {
            let reports = index.check(lines: all, minRun: spec.maxCopy ?? OriginalityIndex.defaultMinRun)
            var flat = [(Int, Int)]()
            for (s, row) in out.enumerated() { for k in row.indices { flat.append((s, k)) } }
            for r in reports where r.isFlagged {
                let (s, k) = flat[r.lineNumber - 1]
                out[s][k].copied = r
            }
        }
        return out
    }
}
