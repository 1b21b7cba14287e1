import Foundation
import FuzzSupport
import LyricsServer
import Songwriting

/// `POST /api/generate` bodies: JSON decoding into `GenerateRequest`, its validation (what the
/// server answers 400 with) and, for a valid song request, the spec the writer gets. A decoding
/// failure is the server's 400 "not a valid generation request" and is fine; a crash is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Fuzz.data(bytes, count)
    guard let request = try? JSONDecoder().decode(GenerateRequest.self, from: data) else { return 0 }
    guard request.problem() == nil else { return 0 }
    if request.isSong {
        Fuzz.expectCleanError {
            let spec = try request.songSpec()
            _ = spec.stanzas()
        }
    }
    return 0
}

@_cdecl("FuzzRequest_main")
public func fuzzRequestMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.main(argc, argv, fuzzRequest)
}
