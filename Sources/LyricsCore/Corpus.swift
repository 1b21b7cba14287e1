import Foundation

/// A normalised text corpus as the tool reads it from disk, with its benchmark split.
public struct Corpus: Sendable {
    public let path: String
    public let text: String
    public var split: CorpusSplit { CorpusSplit(normalized: text) }

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
