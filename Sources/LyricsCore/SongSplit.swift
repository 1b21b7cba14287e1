import Foundation

/// How a corpus is cut into train, valid and test: by 50-line blocks (the benchmark rule, and the
/// only one plain text allows) or by whole songs, so no song has lines on both sides.
public enum SplitRule: String, Codable, CaseIterable, Sendable {
    case block, song
}

extension Corpus {
    /// Reads and normalises a corpus from any source. Songs are normalised one by one (a song with
    /// no letters left is dropped) and joined, so the text is what `Corpus(path:)` gives for the
    /// same lines. `splitBy` nil: `.song` for sources with songs, `.block` for text; `.song` on
    /// plain text is an error (it has no song boundaries).
    public init(source: CorpusSource, splitBy: SplitRule? = nil) throws {
        guard let raw = try source.songs() else {
            if splitBy == .song {
                throw LyricsError(file: source.path, "plain text has no song boundaries; --split-by song needs a folder of .txt files or a CSV, TSV or JSONL table")
            }
            try self.init(path: source.path)
            return
        }
        var text = String()
        var counts = [Int]()
        for song in raw {
            let normal = TextNormalizer.normalize(song)
            guard !normal.isEmpty else { continue }
            text += normal
            counts.append(normal.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
        }
        guard !text.isEmpty else {
            throw LyricsError(file: source.path, "corpus is empty (\(raw.count) songs, no letters after normalisation)")
        }
        self.init(path: source.path, normalizedText: text)
        songLineCounts = counts
        splitRule = splitBy ?? .song
    }

    /// Training and validation text for a corpus too small for the split to give a validation
    /// part: the last 5% (at least one) of its songs, or of its lines for text, are held out.
    public func tailHoldOut() -> (train: String, valid: String) {
        let lines = text.split(separator: "\n")
        var heldLines = max(1, lines.count / 20)
        if splitRule == .song, let counts = songLineCounts, counts.count >= 2 {
            let songs = max(1, counts.count / 20)
            heldLines = counts.suffix(songs).reduce(0, +)
        }
        let cut = max(1, lines.count - heldLines)
        return (lines[..<cut].map { $0 + "\n" }.joined(), lines[cut...].map { $0 + "\n" }.joined())
    }
}

extension CorpusSplit {
    /// Splits normalised text by whole songs, mirroring the block rule: song k (0-based, in
    /// reading order) goes to validation when k % 20 == 18, to test when k % 20 == 19, else to
    /// training. `songLineCounts` gives each song's lines, in order.
    public init(normalized text: String, songLineCounts: [Int]) {
        var parts = [String](repeating: "", count: 3)
        var song = 0
        var left = songLineCounts.first ?? Int.max
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            while left == 0 && song + 1 < songLineCounts.count {
                song += 1
                left = songLineCounts[song]
            }
            let slot = song % Self.cycle
            let k = slot == 18 ? 1 : (slot == 19 ? 2 : 0)
            parts[k] += line
            parts[k] += "\n"
            left -= 1
        }
        self.init(train: parts[0], valid: parts[1], test: parts[2])
    }
}
