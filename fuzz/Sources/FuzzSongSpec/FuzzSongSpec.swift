import Foundation
import FuzzSupport
import Songwriting

/// Song spec strings as the command line and the API take them: rhyme scheme, syllables,
/// structure, part lines and meter (fields separated by NUL bytes, then a line count), and
/// everything the writer asks of a valid spec (stanzas, per-line syllables and meter, rhyme anchors).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSongSpec(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Fuzz.data(bytes, count)
    let f = Fuzz.fields(data, 6)
    let lines = f[5].flatMap { Int($0) } ?? 8
    Fuzz.expectCleanError {
        let spec = try SongSpec.parse(rhyme: f[0], syllables: f[1], structure: f[2], partLines: f[3], lines: lines,
                                      maxCopy: nil, meter: f[4])
        let total = spec.stanzas().reduce(0) { $0 + $1.lines }
        for i in 0..<min(total, 1_000) {
            _ = spec.syllables(forLine: i)
            _ = spec.meter(forLine: i)
            if let r = spec.rhyme { _ = r.anchor(of: i); _ = r.hasPartner(i) }
        }
    }
    for field in f.compactMap({ $0 }) {
        Fuzz.expectCleanError { _ = try MeterPattern.parse(field) }
        Fuzz.expectCleanError { _ = try RhymeScheme(parsing: field) }
    }
    return 0
}

@_cdecl("FuzzSongSpec_main")
public func fuzzSongSpecMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.main(argc, argv, fuzzSongSpec)
}
