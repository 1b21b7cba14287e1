import Foundation
import FuzzSupport
import LyricsCore

/// Corpus text (invalid UTF-8, huge lines, NUL bytes, odd line breaks): normalisation, then what
/// training does with the result (the benchmark split, word tokens, a vocabulary and its ids).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCorpus(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Fuzz.data(bytes, count)
    Fuzz.expectCleanError {
        let text = try TextNormalizer.normalize(data: data, file: "fuzz.txt")
        guard !text.isEmpty else { return }
        let split = CorpusSplit(normalized: text)
        var counts = [String: Int]()
        for token in WordTokenizer.tokenize(split.train) { counts[token, default: 0] += 1 }
        let vocabulary = Vocabulary(counts: counts.sorted { $0.key < $1.key })
        _ = vocabulary.decode(vocabulary.encode(split.train))
    }
    return 0
}

@_cdecl("FuzzCorpus_main")
public func fuzzCorpusMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.main(argc, argv, fuzzCorpus)
}
