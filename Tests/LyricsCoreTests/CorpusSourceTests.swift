import Foundation
@testable import LyricsCore
import TestSupport
import XCTest

/// Corpora people bring: CSV/TSV/JSONL tables with a lyrics column and filters, folders of songs,
/// and the split by whole songs; every bad input is one line naming the file.
final class CorpusSourceTests: XCTestCase {
    func dir() -> String {
        try! temporaryFolder("corpus").path
    }

    func write(_ text: String, _ path: String) -> String {
        try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func corpus(_ path: String, column: String? = nil, _ filters: [String] = [], splitBy: SplitRule? = nil) throws -> Corpus {
        try Corpus(source: CorpusSource.detect(path: path, textColumn: column, filters: filters.map { CorpusSource.ColumnFilter($0)! }),
                   splitBy: splitBy)
    }

    func assertError(_ body: @autoclosure () throws -> Any, _ file: String, _ fragments: String..., line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected an error", line: line)
        } catch let e as LyricsError {
            let text = e.description
            XCTAssertTrue(text.hasPrefix(file + ": "), text, line: line)
            for f in fragments { XCTAssertTrue(text.contains(f), "'\(text)' lacks '\(f)'", line: line) }
            XCTAssertFalse(text.contains("\n"), text, line: line)
        } catch {
            XCTFail("not a LyricsError: \(error)", line: line)
        }
    }

    // MARK: Tables

    static let csv = """
    ,song,year,artist,genre,lyrics
    0,one,2006,Ann,Indie,"First line, with a comma
    second ""quoted"" line"
    1,two,2007,Bob,Rock,"Rock on"
    2,"three, live",2006,Ann,Indie,Plain field\r
    3,four,2006,Cy,Indie,""

    """

    func testCSVReadsQuotedMultiLineFieldsAndEscapedQuotes() throws {
        let path = write(Self.csv, dir() + "/songs.csv")
        var records = [([String], Int)]()
        let data = Array(Self.csv.utf8)
        try data.withUnsafeBufferPointer { buf in
            try DelimitedReader.forEachRecord(buf, separator: 0x2C, file: "x.csv") { records.append(($0, $1)) }
        }
        XCTAssertEqual(records.map(\.1), [1, 2, 4, 5, 6], "records start on these lines")
        XCTAssertEqual(records[1].0[5], "First line, with a comma\nsecond \"quoted\" line")
        XCTAssertEqual(records[3].0, ["2", "three, live", "2006", "Ann", "Indie", "Plain field"])
        XCTAssertEqual(records[4].0[5], "")
        let c = try corpus(path, column: "lyrics")
        XCTAssertEqual(c.text, "first line with a comma\nsecond quoted line\nrock on\nplain field\n")
        XCTAssertEqual(c.songLineCounts, [2, 1, 1], "the empty song is dropped")
        XCTAssertEqual(c.splitRule, .song, "tables split by song unless told otherwise")
        XCTAssertEqual(try corpus(path).text, c.text, "'lyrics' is the default column")
    }

    func testFiltersMustAllHold() throws {
        let path = write(Self.csv, dir() + "/songs.csv")
        XCTAssertEqual(try corpus(path, ["genre=Indie"]).text, "first line with a comma\nsecond quoted line\nplain field\n")
        XCTAssertEqual(try corpus(path, ["genre=Indie", "song=three, live"]).text, "plain field\n")
        XCTAssertEqual(try corpus(path, ["year=2007"]).text, "rock on\n")
        assertError(try corpus(path, ["genre=Indie", "artist=Bob"]), path, "no row of 4 matches --where genre=Indie --where artist=Bob",
                    "'Indie', 'Rock'", "'Ann', 'Bob'")
        assertError(try corpus(path, ["genre=indie"]), path, "matches --where genre=indie", "case included")
    }

    func testMissingColumnListsTheColumns() {
        let path = write(Self.csv, dir() + "/songs.csv")
        assertError(try corpus(path, column: "lyric"), path, "no column 'lyric'", "columns: \"\", song, year, artist, genre, lyrics")
        assertError(try corpus(path, ["mood=sad"]), path, "no column 'mood'", "columns:")
        let plain = write("title,words\na,b\n", dir() + "/p.csv")
        assertError(try corpus(plain), plain, "no 'lyrics' or 'text' column", "title, words")
    }

    func testMalformedCSVNamesTheLine() {
        let d = dir()
        let open = write("song,lyrics\na,\"ok\"\nb,\"never closed\nstill inside\n", d + "/open.csv")
        assertError(try corpus(open), open, "line 3: quoted field is never closed")
        let after = write("song,lyrics\na,\"ok\" x\n", d + "/after.csv")
        assertError(try corpus(after), after, "line 2: unexpected text after a closing quote")
        let count = write("song,lyrics\na,b\nc,d,e\n", d + "/count.csv")
        assertError(try corpus(count), count, "line 3: 3 fields, but the header has 2")
        let bytes = d + "/bytes.csv"
        try! Data([0x61, 0x0A, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: bytes))
        assertError(try corpus(bytes, column: "a"), bytes, "not valid UTF-8", "offset 2")
        assertError(try corpus(write("", d + "/empty.csv")), d + "/empty.csv", "empty")
    }

    func testTSVAndJSONLines() throws {
        let d = dir()
        let tsv = write("song\tgenre\tlyrics\none\tIndie\t\"Tabs\tinside\nquotes\"\ntwo\tRock\tLoud\r\n", d + "/s.tsv")
        XCTAssertEqual(try corpus(tsv, ["genre=Indie"]).text, "tabs inside\nquotes\n")
        let jsonl = write("""
        {"song": "one", "year": 2006, "genre": "Indie", "text": "Line one\\nLine two"}

        {"song": "two", "year": 2007, "genre": "Rock", "text": "Rock"}
        {"song": "three", "year": 2006, "genre": "Indie", "text": null}
        """, d + "/s.jsonl")
        let c = try corpus(jsonl, ["year=2006"])
        XCTAssertEqual(c.text, "line one\nline two\n")
        XCTAssertEqual(c.songLineCounts, [2])
        assertError(try corpus(jsonl, column: "lyrics"), jsonl, "no column 'lyrics'", "columns: genre, song, text, year")
        let broken = write("{\"text\": \"a\"}\n{\"text\": \"b\"\n", d + "/b.jsonl")
        assertError(try corpus(broken), broken, "line 2: not a JSON object")
        let missing = write("{\"text\": \"a\", \"genre\": \"x\"}\n{\"text\": \"b\"}\n", d + "/m.jsonl")
        assertError(try corpus(missing, ["genre=x"]), missing, "line 2: the row has no 'genre'")
    }

    func testColumnOptionsOnTextAreRefused() {
        let d = dir()
        let txt = write("hello\n", d + "/a.txt")
        assertError(try corpus(txt, column: "lyrics"), txt, "--text-column and --where apply to CSV, TSV and JSONL")
        assertError(try corpus(txt, splitBy: .song), txt, "plain text has no song boundaries")
        XCTAssertNil(CorpusSource.ColumnFilter("=x"))
        XCTAssertEqual(CorpusSource.ColumnFilter("a=b=c"), CorpusSource.ColumnFilter(column: "a", value: "b=c"))
    }

    // MARK: Folders

    func testFolderReadsTxtFilesInNameOrder() throws {
        let d = dir()
        _ = write("Second song\n", d + "/b.txt")
        _ = write("First song!\nIts end\n", d + "/a.txt")
        _ = write("???\n", d + "/c.txt") // nothing left after normalisation: dropped
        _ = write("not a song\n", d + "/notes.md")
        let c = try corpus(d)
        XCTAssertEqual(c.text, "first song\nits end\nsecond song\n")
        XCTAssertEqual(c.songLineCounts, [2, 1])
        XCTAssertEqual(c.splitRule, .song)
        XCTAssertEqual(try corpus(d, splitBy: .block).split.train, c.text)
        let empty = dir()
        _ = write("x\n", empty + "/readme.md")
        assertError(try corpus(empty), empty, "folder has no .txt files")
    }

    func testTextSourceIsTheSameAsCorpusPath() throws {
        let path = TestPaths.corpus("sonnets.txt")
        let a = try corpus(path)
        let b = try Corpus(path: path)
        XCTAssertEqual(a.text, b.text)
        XCTAssertNil(a.songLineCounts)
        XCTAssertEqual(a.split.valid, b.split.valid)
    }

    // MARK: Split by song

    /// 50 songs of 1-4 lines, each line naming its song: every song lands whole in the part the
    /// k % 20 rule gives, and the split repeats exactly.
    func testSongSplitKeepsSongsWholeAndIsDeterministic() throws {
        let d = dir()
        var csv = "song,lyrics\n"
        for k in 0..<50 {
            let lines = (0...(k % 4)).map { "song \(TokensAndSplitTests.word(k)) line \(TokensAndSplitTests.word($0))" }
            csv += "s\(k),\"\(lines.joined(separator: "\n"))\"\n"
        }
        let path = write(csv, d + "/songs.csv")
        let c = try corpus(path, splitBy: .song)
        let split = c.split
        let number = Dictionary(uniqueKeysWithValues: (0..<50).map { (TokensAndSplitTests.word($0), $0) })
        func songs(_ part: String) -> Set<Int> {
            var found = Set<Int>()
            for line in part.split(separator: "\n") { found.insert(number[String(line.split(separator: " ")[1])]!) }
            return found
        }
        XCTAssertEqual(songs(split.valid), [18, 38])
        XCTAssertEqual(songs(split.test), [19, 39])
        XCTAssertEqual(songs(split.train), Set(0..<50).subtracting([18, 19, 38, 39]))
        for k in [18, 19, 38, 39] {
            let lines = k % 4 + 1
            let part = k % 20 == 18 ? split.valid : split.test
            XCTAssertEqual(part.split(separator: "\n").filter { $0.hasPrefix("song \(TokensAndSplitTests.word(k)) ") }.count, lines)
        }
        XCTAssertEqual(split.train.utf8.count + split.valid.utf8.count + split.test.utf8.count, c.text.utf8.count)
        let again = try corpus(path, splitBy: .song).split
        XCTAssertEqual([again.train, again.valid, again.test], [split.train, split.valid, split.test])
        // The block rule on the same text cuts by lines instead (all 125 lines are in blocks 0-2).
        XCTAssertEqual(try corpus(path, splitBy: .block).split.valid, "")
    }

    func testSmallSongCorpusHoldsOutWholeSongs() throws {
        let d = dir()
        for k in 0..<5 { _ = write((0..<3).map { "song \(TokensAndSplitTests.word(k)) verse \($0)" }.joined(separator: "\n"), d + "/\(k).txt") }
        let c = try corpus(d)
        XCTAssertEqual(c.split.valid, "", "fewer than 19 songs: no validation song")
        let (train, valid) = c.tailHoldOut()
        XCTAssertEqual(valid, "song e verse\nsong e verse\nsong e verse\n", "the last song, whole (digits normalise away)")
        XCTAssertEqual(train + valid, c.text)
    }

    func testBundledSongsTable() throws {
        let path = TestPaths.corpus("songs.csv")
        let sonnets = try corpus(path, column: "lyrics", ["genre=Sonnet"])
        XCTAssertEqual(sonnets.songLineCounts?.count, 154)
        XCTAssertEqual(sonnets.text, try Corpus(path: TestPaths.corpus("sonnets.txt")).text)
        let psalms = try corpus(path, ["artist=David"])
        XCTAssertEqual(psalms.songLineCounts?.count, 150)
        XCTAssertEqual(psalms.text, try Corpus(path: TestPaths.corpus("psalms.txt")).text)
    }
}
