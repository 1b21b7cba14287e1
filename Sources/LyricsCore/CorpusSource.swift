import Foundation

/// Where a corpus comes from: one text file (lines, no song boundaries), a folder of .txt files
/// (one song each, read in sorted name order), or a table of songs (CSV, TSV or JSON Lines) with
/// the lyrics in one column and optional `column=value` filters that must all hold.
public enum CorpusSource: Sendable, Equatable {
    case text(String)
    case folder(String)
    case table(String, TableQuery)

    public enum TableFormat: Sendable, Equatable { case csv, tsv, jsonLines }

    /// Which column holds the lyrics and which rows to keep.
    public struct TableQuery: Sendable, Equatable {
        /// nil: "lyrics" if the table has it, else "text".
        public var textColumn: String?
        public var filters: [ColumnFilter]

        public init(textColumn: String? = nil, filters: [ColumnFilter] = []) {
            self.textColumn = textColumn
            self.filters = filters
        }
    }

    /// `column=value`: a row is kept when its value in `column` is exactly `value`.
    public struct ColumnFilter: Sendable, Equatable, CustomStringConvertible {
        public var column: String
        public var value: String

        public init(column: String, value: String) {
            self.column = column
            self.value = value
        }

        /// Parses "COLUMN=VALUE" (the value may itself contain "=").
        public init?(_ text: String) {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { return nil }
            column = String(text[..<eq])
            value = String(text[text.index(after: eq)...])
        }

        public var description: String { "\(column)=\(value)" }
    }

    public var path: String {
        switch self {
        case .text(let p), .folder(let p), .table(let p, _): return p
        }
    }

    /// Whether the source knows where songs start and end.
    public var hasSongs: Bool {
        if case .text = self { return false }
        return true
    }

    /// The kind of source `path` is: a directory is a folder of songs; .csv, .tsv, .jsonl and
    /// .ndjson files (also gzipped) are tables; anything else is text. Column options on a
    /// source that has no columns are an error rather than silently ignored.
    public static func detect(path: String, textColumn: String? = nil, filters: [ColumnFilter] = []) throws -> CorpusSource {
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
        let source: CorpusSource
        if exists && isDir.boolValue {
            source = .folder(path)
        } else if tableFormat(of: path) != nil {
            source = .table(path, TableQuery(textColumn: textColumn, filters: filters))
        } else {
            source = .text(path)
        }
        if case .table = source {} else if textColumn != nil || !filters.isEmpty {
            throw LyricsError(file: path, "--text-column and --where apply to CSV, TSV and JSONL corpora, not to \(exists && isDir.boolValue ? "a folder" : "a text file")")
        }
        return source
    }

    static func tableFormat(of path: String) -> TableFormat? {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        switch URL(fileURLWithPath: name).pathExtension.lowercased() {
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "jsonl", "ndjson": return .jsonLines
        default: return nil
        }
    }

    /// The songs' raw texts in order (not yet normalised); nil for a text source.
    func songs() throws -> [String]? {
        switch self {
        case .text: return nil
        case .folder(let dir): return try Self.folderSongs(dir)
        case .table(let path, let query): return try SongTable.read(path, format: Self.tableFormat(of: path)!, query: query)
        }
    }

    /// The lyrics of a table already in memory, as `songs()` reads them from a file; the fuzz
    /// targets (fuzz/) feed arbitrary bytes here.
    public static func tableSongs(data: Data, file: String, format: TableFormat, query: TableQuery = TableQuery()) throws -> [String] {
        try SongTable.read(data: data, path: file, format: format, query: query)
    }

    static func folderSongs(_ dir: String) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
            throw LyricsError(file: dir, "cannot list the folder")
        }
        let songs = names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".txt") || $0.hasSuffix(".txt.gz")) }.sorted()
        guard !songs.isEmpty else { throw LyricsError(file: dir, "folder has no .txt files (one song per file)") }
        let base = URL(fileURLWithPath: dir)
        return try songs.map { name in
            let path = base.appendingPathComponent(name).path
            let data = try readAll(path)
            try validateUTF8(data, file: path)
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// A file's bytes (.gz decompressed).
    static func readAll(_ path: String) throws -> Data {
        path.hasSuffix(".gz") ? try Corpus.gunzip(path) : try InputFile.read(path)
    }

    /// Fails naming the byte offset of the first byte that is not UTF-8, as `Corpus(path:)` does.
    static func validateUTF8(_ data: Data, file: String) throws {
        try data.withUnsafeBytes { raw in
            let src = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i < src.count {
                if src[i] < 0x80 { i += 1; continue }
                i += try TextNormalizer.decodeScalar(src, at: i, file: file).1
            }
        }
    }
}
