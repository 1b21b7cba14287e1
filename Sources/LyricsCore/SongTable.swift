import Foundation

/// The lyrics column of a CSV, TSV or JSON Lines table, for the rows that pass every filter, in
/// file order. Checks columns before reading rows, so a misspelt name fails at once with the
/// names the table has; a filter that keeps no row fails listing values its column does have.
enum SongTable {
    static func read(_ path: String, format: CorpusSource.TableFormat, query: CorpusSource.TableQuery) throws -> [String] {
        try read(data: CorpusSource.readAll(path), path: path, format: format, query: query)
    }

    /// The same from bytes in memory (`path` names them in errors).
    static func read(data: Data, path: String, format: CorpusSource.TableFormat, query: CorpusSource.TableQuery) throws -> [String] {
        try CorpusSource.validateUTF8(data, file: path)
        var selector: RowSelector?
        var songs = [String]()
        var rows = 0
        func take(_ row: (String) -> String?, columns: () -> [String], line: Int) throws {
            if selector == nil { selector = try RowSelector(path: path, columns: columns(), query: query) }
            rows += 1
            if let text = try selector!.select(row, line: line) { songs.append(text) }
        }
        switch format {
        case .csv, .tsv:
            var header: [String]?
            var position = [String: Int]()
            try data.withUnsafeBytes { raw in
                try DelimitedReader.forEachRecord(raw.bindMemory(to: UInt8.self), separator: format == .csv ? 0x2C : 0x09,
                                                  file: path) { fields, line in
                    guard let names = header else {
                        header = fields
                        for (i, name) in fields.enumerated() where position[name] == nil { position[name] = i }
                        return
                    }
                    try take({ position[$0].map { fields[$0] } }, columns: { names }, line: line)
                }
            }
            guard header != nil else { throw LyricsError(file: path, "is empty (expected a header row naming the columns)") }
        case .jsonLines:
            var line = 0
            for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
                line += 1
                if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                guard let object = (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any] else {
                    throw LyricsError(file: path, "line \(line): not a JSON object")
                }
                try take({ Self.text(of: object[$0]) }, columns: { object.keys.sorted() }, line: line)
            }
        }
        guard let selector else { throw LyricsError(file: path, "has no rows") }
        try selector.checkMatched(rows: rows, songs: songs.count)
        return songs
    }

    /// A JSON value as text for filters and lyrics: strings as they are, numbers as written,
    /// null as empty; nil when the key is absent.
    static func text(of value: Any?) -> String? {
        switch value {
        case .none: return nil
        case let s as String: return s
        case is NSNull: return ""
        case let n as NSNumber: return n.stringValue
        case .some(let v): return "\(v)"
        }
    }
}

/// Applies a query to rows: resolves the text column, checks the filter columns exist, and
/// remembers a few values of each filter column for the "matched nothing" message.
private struct RowSelector {
    let path: String
    let textColumn: String
    let filters: [CorpusSource.ColumnFilter]
    var seen: [[String]]

    init(path: String, columns: [String], query: CorpusSource.TableQuery) throws {
        let names = Set(columns)
        let listed = columns.map { $0.isEmpty ? "\"\"" : $0 }.joined(separator: ", ")
        if let wanted = query.textColumn {
            guard names.contains(wanted) else { throw LyricsError(file: path, "no column '\(wanted)' (--text-column); columns: \(listed)") }
            textColumn = wanted
        } else if let found = ["lyrics", "text"].first(where: names.contains) {
            textColumn = found
        } else {
            throw LyricsError(file: path, "no 'lyrics' or 'text' column; name the lyrics with --text-column (columns: \(listed))")
        }
        for f in query.filters where !names.contains(f.column) {
            throw LyricsError(file: path, "no column '\(f.column)' (--where \(f)); columns: \(listed)")
        }
        self.path = path
        filters = query.filters
        seen = Array(repeating: [], count: filters.count)
    }

    /// The row's lyrics when every filter holds. A row missing a column (JSON Lines) is an error.
    mutating func select(_ row: (String) -> String?, line: Int) throws -> String? {
        var keep = true
        for (k, f) in filters.enumerated() {
            guard let v = row(f.column) else { throw missing(f.column, line) }
            if seen[k].count < 8 && !seen[k].contains(v) { seen[k].append(v) }
            if v != f.value { keep = false }
        }
        guard keep else { return nil }
        guard let text = row(textColumn) else { throw missing(textColumn, line) }
        return text
    }

    func missing(_ column: String, _ line: Int) -> LyricsError {
        LyricsError(file: path, "line \(line): the row has no '\(column)'")
    }

    func checkMatched(rows: Int, songs: Int) throws {
        guard songs == 0, !filters.isEmpty else { return }
        let wanted = filters.map { "--where \($0)" }.joined(separator: " ")
        let hints = filters.indices.map { "\(filters[$0].column) has e.g. \(seen[$0].map { "'\($0)'" }.joined(separator: ", "))" }
        throw LyricsError(file: path, "no row of \(rows) matches \(wanted) (\(hints.joined(separator: "; ")); values match exactly, case included)")
    }
}
