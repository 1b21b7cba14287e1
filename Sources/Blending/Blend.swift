import Foundation
import Generation
import LyricsCore
import Models

/// How two models share a song.
public enum BlendMode: String, Codable, CaseIterable, Sendable {
    /// Turns: each model writes a unit, then the other reads it and writes the next (the song
    /// writer's author switch).
    case alternate
    /// Every token is drawn from w·pA + (1−w)·pB (`MixedModel` through the generation loop).
    case mix
}

/// What one turn of `alternate` is (and where `mix` puts blank lines).
public enum BlendUnit: String, Codable, CaseIterable, Sendable {
    case line
    /// `stanza-lines` lines; stanzas are printed with a blank line between them. (Normalised
    /// corpora have no blank lines, so the models never write one themselves.)
    case stanza
}

public enum Blend {
    /// Both models of a blend, checked to be of one kind before the (larger) weights are read.
    public static func load(_ a: String, _ b: String, vectors: String? = nil) throws -> (TokenModel, TokenModel) {
        let ka = try ModelLoader.kind(of: a), kb = try ModelLoader.kind(of: b)
        guard ka == kb else {
            throw LyricsError(file: b, "is a \(kb.rawValue) model but \(a) is a \(ka.rawValue) model; blend two models of one kind")
        }
        return (try ModelLoader.load(a, vectors: vectors), try ModelLoader.load(b, vectors: vectors))
    }

    /// Who writes line `line` (0-based, of the whole song) when the models take turns by `unit`.
    public static func author(line: Int, unit: BlendUnit, stanzaLines: Int) -> Int {
        (unit == .line ? line : line / stanzaLines) % 2
    }

    /// `text` with a blank line before every `stanzaLines`-th line after its first `context`
    /// lines (a prompt's own lines, which the first stanza continues).
    public static func stanzas(_ text: String, stanzaLines: Int, context: Int = 0) -> String {
        var out = [Substring]()
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let k = i - context
            if k > 0, k % stanzaLines == 0 { out.append("") }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }
}
