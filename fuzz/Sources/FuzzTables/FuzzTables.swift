import Foundation
import FuzzSupport
import LyricsCore

/// Song tables: CSV, TSV and JSON Lines (quotes, BOM, CRLF, ragged rows, bad UTF-8), read with
/// the default query (a "lyrics" or "text" column) and with a filter, as `--where` gives one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTables(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Fuzz.data(bytes, count)
    let filtered = CorpusSource.TableQuery(textColumn: nil, filters: [.init(column: "artist", value: "a")])
    for format in [CorpusSource.TableFormat.csv, .tsv, .jsonLines] {
        for query in [CorpusSource.TableQuery(), filtered] {
            Fuzz.expectCleanError { _ = try CorpusSource.tableSongs(data: data, file: "fuzz.table", format: format, query: query) }
        }
    }
    return 0
}

@_cdecl("FuzzTables_main")
public func fuzzTablesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.main(argc, argv, fuzzTables)
}
