import Foundation

/// A normalised text corpus as the tool reads it from disk, with its benchmark split. A corpus of
/// songs (a folder or a table, see `CorpusSource`) also knows how many lines each song has, so
/// it can be split by whole songs (`SplitRule.song`).
public struct Corpus: Sendable {
    public let path: String
    public let text: String
    /// Normalised lines of each song, in order (songs with no letters left out); nil for text.
    public internal(set) var songLineCounts: [Int]?
    public internal(set) var splitRule: SplitRule = .block

    public var split: CorpusSplit {
        switch splitRule {
        case .block: return CorpusSplit(normalized: text)
        case .song: return CorpusSplit(normalized: text, songLineCounts: songLineCounts ?? [])
        }
    }

    /// Reads and normalises `path`; `.gz` files are decompressed through the system gzip so the
    /// full Gutenberg Poetry Corpus can be used as shipped.
    public init(path: String) throws {
        self.path = path
        let data: Data
        if path.hasSuffix(".gz") {
            data = try Self.gunzip(path)
        } else {
            data = try InputFile.read(path)
        }
        let text = try TextNormalizer.normalize(data: data, file: path)
        guard !text.isEmpty else { throw LyricsError(file: path, "corpus is empty (no letters after normalisation)") }
        self.text = text
    }

    public init(path: String, normalizedText: String) {
        self.path = path
        text = normalizedText
    }

    static func gunzip(_ path: String) throws -> Data {
        let stream = try InputFile.openStream(path)
        let data = stream.handle.readDataToEndOfFile()
        try stream.finish()
        return data
    }
}
