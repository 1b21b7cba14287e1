import Foundation

/// Reads CSV (RFC 4180) and TSV tables as lyrics datasets ship them (Kaggle's "380,000 lyrics"
/// CSV, pandas `to_csv`): a header row, then records whose fields may be quoted; inside quotes a
/// separator or a line break is text and `""` is one quote. An unquoted field is taken as it is
/// (a stray quote inside it included), "\r\n" ends a record like "\n", a UTF-8 byte-order mark is
/// skipped and blank lines between records are ignored. Broken quoting and records whose field
/// count differs from the header's are errors naming the line where the record starts.
public enum DelimitedReader {
    /// Calls `body(fields, line)` for the header (line 1) and then for every record, with the
    /// 1-based line on which the record starts. `bytes` must be valid UTF-8.
    public static func forEachRecord(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8, file: String,
                                     _ body: (_ fields: [String], _ line: Int) throws -> Void) throws {
        let quote: UInt8 = 0x22, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        let n = bytes.count
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var headerCount: Int?
        var fields = [String]()
        var field = [UInt8]()
        while i < n {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            // One record: fields until an unquoted line break or the end.
            while true {
                field.removeAll(keepingCapacity: true)
                var endOfRecord = false
                if i < n && bytes[i] == quote {
                    let openedAt = line
                    i += 1
                    while true {
                        guard i < n else {
                            throw LyricsError(file: file, "line \(openedAt): quoted field is never closed (a \" opened here has no closing \")")
                        }
                        let b = bytes[i]
                        if b == quote {
                            if i + 1 < n && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                            i += 1
                            break
                        }
                        if b == lf { line += 1 }
                        field.append(b)
                        i += 1
                    }
                    if i < n && bytes[i] == cr && i + 1 < n && bytes[i + 1] == lf { i += 1 }
                    guard i >= n || bytes[i] == separator || bytes[i] == lf else {
                        throw LyricsError(file: file, "line \(line): unexpected text after a closing quote (field \(fields.count + 1)); a quote inside a quoted field must be doubled (\"\")")
                    }
                } else {
                    while i < n && bytes[i] != separator && bytes[i] != lf { field.append(bytes[i]); i += 1 }
                    if field.last == cr && (i >= n || bytes[i] == lf) { field.removeLast() }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if i >= n { endOfRecord = true } else if bytes[i] == lf { endOfRecord = true; line += 1; i += 1 } else { i += 1 }
                if endOfRecord { break }
            }
            if fields.count == 1 && fields[0].isEmpty { continue } // a blank line
            if let expected = headerCount {
                guard fields.count == expected else {
                    throw LyricsError(file: file, "line \(recordLine): \(fields.count) fields, but the header has \(expected)")
                }
            } else {
                headerCount = fields.count
            }
            try body(fields, recordLine)
        }
    }
}
