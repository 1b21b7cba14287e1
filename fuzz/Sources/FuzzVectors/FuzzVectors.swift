import Foundation
import FuzzSupport
import WordModel
import WordVectors

/// Vector files: word2vec text and binary, GloVe and fastText (the format detected from the
/// bytes, and forced to each), then the word model's import (normalisation, merged words, the
/// added "</s>" and "<unk>" rows).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVectors(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Fuzz.data(bytes, count)
    for format in [nil, VectorFile.Format.text, .binary] {
        Fuzz.expectCleanError { _ = try VectorFile.parse(data, file: "fuzz.vec", format: format) }
    }
    Fuzz.expectCleanError { _ = try VectorTable.parse(data, file: "fuzz.vec") }
    return 0
}

@_cdecl("FuzzVectors_main")
public func fuzzVectorsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.main(argc, argv, fuzzVectors)
}
