import CFuzzDriver
import Foundation
import LyricsCore

/// What every fuzz target checks beyond "no crash, hang or leak" (which libFuzzer and
/// AddressSanitizer catch): a reader that refuses its input does so with the tool's one error
/// type, as one line, so the command line prints `error: <file or field>: <problem>` and the
/// server a 4xx JSON message. Any other error, or a message with a line break, stops the run
/// like a crash, with the input saved by libFuzzer.
public enum Fuzz {
    /// Runs libFuzzer (its command line: corpus folders, -max_total_time=...) on `callback`.
    public static func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                            _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var argc = argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
    }

    /// The input as `Data` (a copy: the readers keep what they are given).
    public static func data(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Data { Data(bytes: bytes, count: count) }

    /// Runs `body`; returns normally whether it succeeded or refused the input cleanly.
    public static func expectCleanError(_ body: () throws -> Void) {
        do {
            try body()
        } catch let error as LyricsError {
            guard !error.description.contains(where: \.isNewline) else { fatalError("error message spans lines: \(error.description.debugDescription)") }
        } catch {
            fatalError("not a LyricsError: \(type(of: error)): \(error)")
        }
    }

    /// Splits an input into `n` text fields at bytes 0x00 (missing fields are nil), so one byte
    /// string drives several parameters.
    public static func fields(_ data: Data, _ n: Int) -> [String?] {
        var parts = data.split(separator: 0, maxSplits: n - 1, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) as String? }
        while parts.count < n { parts.append(nil) }
        return parts
    }
}
