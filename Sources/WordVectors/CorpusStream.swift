import Foundation
import LyricsCore

/// Reads and normalises a corpus in chunks of whole lines, so that the raw bytes of a 120 MB corpus
/// are never held twice (`Corpus` keeps the raw file, a byte copy, the normalised bytes and the
/// String at once: about 4× the corpus, 490 MB for the full Gutenberg corpus; this keeps about
/// 1.5×, and `forEachPiece` one chunk). Normalisation is line-local, so chunking at newlines gives
/// exactly `Corpus`'s text, and the split part is picked line by line with `CorpusSplit`'s
/// 50-line blocks.
enum CorpusStream {
    static let chunkBytes = 1 << 20

    static func normalizedText(path: String, part: CorpusSplit.Part, chunkBytes: Int = chunkBytes) throws -> String {
        var text = ""
        try forEachPiece(path: path, part: part, chunkBytes: chunkBytes) { text += $0 }
        return text
    }

    /// Calls `body` with the normalised text of `part`, a chunk of whole lines at a time, in
    /// order: the pieces concatenated are `normalizedText`. A caller that only counts or encodes
    /// never holds the whole text.
    static func forEachPiece(path: String, part: CorpusSplit.Part, chunkBytes: Int = chunkBytes,
                             _ body: (String) throws -> Void) throws {
        let stream = try InputFile.openStream(path)
        let handle = stream.handle
        defer { try? handle.close() }
        var carry = Data()
        var consumed = 0 // raw bytes before `carry`, for error offsets
        var lineNo = 0
        func normalize(_ raw: Data) throws {
            let piece: String
            do {
                piece = try TextNormalizer.normalize(data: raw, file: path)
            } catch let e as LyricsError {
                throw Self.shifted(e, by: consumed)
            }
            consumed += raw.count
            if part == .all { try body(piece); return }
            var kept = ""
            for line in piece.split(separator: "\n") {
                let slot = (lineNo / CorpusSplit.blockLines) % CorpusSplit.cycle
                let owner: CorpusSplit.Part = slot == 18 ? .valid : (slot == 19 ? .test : .train)
                if owner == part { kept += line; kept += "\n" }
                lineNo += 1
            }
            try body(kept)
        }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: chunkBytes) ?? Data() } catch {
                throw LyricsError(file: path, "read failed: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            carry.append(chunk)
            if let nl = carry.lastIndex(of: 0x0A) {
                let cut = carry.index(after: nl)
                try normalize(carry[carry.startIndex..<cut])
                carry = Data(carry[cut...])
            }
        }
        if !carry.isEmpty { try normalize(carry) }
        try stream.finish()
    }

    /// Moves a "bad byte at offset N" message from chunk to file coordinates.
    static func shifted(_ e: LyricsError, by base: Int) -> LyricsError {
        let marker = "offset "
        guard base > 0, let r = e.problem.range(of: marker) else { return e }
        let digits = e.problem[r.upperBound...].prefix { $0.isNumber }
        guard let n = Int(digits) else { return e }
        let after = e.problem[r.upperBound...].dropFirst(digits.count)
        return LyricsError(file: e.file, e.problem[..<r.upperBound] + String(n + base) + after)
    }
}
