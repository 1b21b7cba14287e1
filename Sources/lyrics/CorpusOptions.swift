import ArgumentParser
import Foundation
import LyricsCore

extension SplitRule: ExpressibleByArgument {}

/// Which text a command reads: `--corpus` (a text file, a folder of songs, or a CSV/TSV/JSONL
/// table), the table's lyrics column and row filters, and how to split it. Every command that
/// reads a corpus takes this one group, so they all accept the same sources.
struct CorpusOptions: ParsableArguments {
    static let defaultCorpus = "corpora/verse-2m.txt"

    @Option(name: .customLong("corpus"), help: ArgumentHelp(
        "Corpus: a text file (.txt, .gz), a folder of .txt files (one song each, sorted by name), or a CSV, TSV or JSONL table of songs (default \(defaultCorpus)).",
        valueName: "path"))
    var corpusOption: String?
    var corpus: String { corpusOption ?? BundledData.path(Self.defaultCorpus) }

    @Option(name: .customLong("text-column"), help: ArgumentHelp(
        "Table column holding the lyrics (default: 'lyrics', else 'text').", valueName: "name"))
    var textColumn: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Keep only table rows whose COLUMN is exactly VALUE (repeatable; all must hold), e.g. --where genre=Indie.",
        valueName: "column=value"))
    var filters: [String] = []

    @Option(name: .customLong("split-by"), help: ArgumentHelp(
        "Split into train/valid/test by 50-line blocks or by whole songs (song k: valid if k % 20 == 18, test if 19). Default: song for folders and tables, block for text.",
        valueName: "block|song"))
    var splitBy: SplitRule?

    func validate() throws {
        for f in filters where CorpusSource.ColumnFilter(f) == nil {
            throw ValidationError("--where: '\(f)' is not COLUMN=VALUE")
        }
    }

    /// The flags that were given (a resumed run refuses them).
    var givenFlags: [String] {
        [("--corpus", corpusOption != nil), ("--text-column", textColumn != nil), ("--where", !filters.isEmpty),
         ("--split-by", splitBy != nil)].filter(\.1).map(\.0)
    }

    /// The same reading of another corpus path, as recorded for a resumed run.
    init(corpus: String, textColumn: String?, filters: [String], splitBy: SplitRule?) {
        corpusOption = corpus
        self.textColumn = textColumn
        self.filters = filters
        self.splitBy = splitBy
    }

    init() {}

    /// The source `path` (default `--corpus`) names, read with this group's column, filters and
    /// split rule.
    func load(_ path: String? = nil) throws -> Corpus {
        try Corpus(source: source(path), splitBy: splitBy)
    }

    /// A validation corpus (`--valid`): a table is read with the same column and filters, a
    /// text file or folder as it is.
    func loadValidation(_ path: String) throws -> Corpus {
        let plain = try CorpusSource.detect(path: path)
        if case .table = plain { return try load(path) }
        return try Corpus(source: plain)
    }

    func source(_ path: String? = nil) throws -> CorpusSource {
        try CorpusSource.detect(path: path ?? corpus, textColumn: textColumn,
                                filters: filters.compactMap { CorpusSource.ColumnFilter($0) })
    }
}
