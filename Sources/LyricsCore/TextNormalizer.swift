import Foundation

/// The project's one text normalisation (shared/data/README.md): lowercase, accents stripped, every
/// character other than a-z, apostrophe, space and newline becomes a space, runs of spaces collapse
/// to one, spaces at the ends of a line go, and empty lines are dropped. Every kept line ends in
/// "\n". It runs over raw UTF-8 bytes because the full 22M-word corpus is 120 MB and a
/// Character-by-Character pass over Swift Strings is an order of magnitude slower.
public enum TextNormalizer {
    /// Normalises a string (always valid Unicode, so this cannot fail).
    public static func normalize(_ text: String) -> String {
        var bytes = Array(text.utf8)
        // A Swift String is valid UTF-8 by construction.
        return (try? normalize(bytes: &bytes, file: nil)) ?? ""
    }

    /// Normalises file contents, rejecting bytes that are not UTF-8 with the byte offset.
    public static func normalize(data: Data, file: String?) throws -> String {
        var bytes = [UInt8](data)
        return try normalize(bytes: &bytes, file: file)
    }

    /// Reads, validates and normalises a text file in one step.
    public static func normalizedFile(_ path: String) throws -> String {
        try normalize(data: InputFile.read(path), file: path)
    }

    static func normalize(bytes: inout [UInt8], file: String?) throws -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var folds = FoldCache()
        var pendingSpace = false
        var lineHasContent = false
        let n = bytes.count
        try bytes.withUnsafeBufferPointer { src in
            var i = 0
            @inline(__always) func emit(_ b: UInt8) {
                if pendingSpace && lineHasContent { out.append(0x20) }
                out.append(b)
                pendingSpace = false
                lineHasContent = true
            }
            while i < n {
                let b = src[i]
                if b < 0x80 {
                    switch b {
                    case 0x61...0x7A, 0x27: emit(b)
                    case 0x41...0x5A: emit(b | 0x20)
                    case 0x0A:
                        if lineHasContent { out.append(0x0A) }
                        lineHasContent = false
                        pendingSpace = false
                    default: pendingSpace = true
                    }
                    i += 1
                    continue
                }
                let (scalar, length) = try decodeScalar(src, at: i, file: file)
                i += length
                switch folds.fold(scalar) {
                case .drop: break
                case .space: pendingSpace = true
                case .letters(let letters): for l in letters { emit(l) }
                }
            }
        }
        if lineHasContent { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes one multi-byte UTF-8 sequence starting at `i`, or throws naming the byte offset.
    @inline(__always)
    static func decodeScalar(_ src: UnsafeBufferPointer<UInt8>, at i: Int, file: String?) throws -> (Unicode.Scalar, Int) {
        let b0 = src[i]
        let length: Int
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07)
        default: throw invalidUTF8(file, offset: i)
        }
        guard i + length <= src.count else { throw invalidUTF8(file, offset: i) }
        for k in 1..<length {
            let c = src[i + k]
            guard c & 0xC0 == 0x80 else { throw invalidUTF8(file, offset: i) }
            value = value << 6 | UInt32(c & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : (length == 3 ? 0x800 : 0x10000)
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { throw invalidUTF8(file, offset: i) }
        return (scalar, length)
    }

    static func invalidUTF8(_ file: String?, offset: Int) -> LyricsError {
        LyricsError(file: file, "not valid UTF-8 text (bad byte at offset \(offset))")
    }
}

/// What a non-ASCII character turns into: its base letters ("é" -> "e"), nothing (a combining
/// accent after its letter), or a space (anything else).
enum Fold { case drop, space, letters([UInt8]) }

/// Caches folds: a corpus uses few distinct non-ASCII characters, and decomposition is slow.
struct FoldCache {
    private var cache: [UInt32: Fold] = [:]

    mutating func fold(_ scalar: Unicode.Scalar) -> Fold {
        if let hit = cache[scalar.value] { return hit }
        let result = Self.compute(scalar)
        cache[scalar.value] = result
        return result
    }

    static func compute(_ scalar: Unicode.Scalar) -> Fold {
        let category = scalar.properties.generalCategory
        if category == .nonspacingMark || category == .enclosingMark || category == .spacingMark {
            return .drop
        }
        let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping
        var letters = [UInt8]()
        for s in decomposed.unicodeScalars where s.isASCII {
            let v = UInt8(s.value)
            switch v {
            case 0x61...0x7A, 0x27: letters.append(v)
            case 0x41...0x5A: letters.append(v | 0x20)
            default: break
            }
        }
        // Only accept a fold whose non-ASCII remainder is accents; "ß" or "æ" have no ASCII base.
        let rest = decomposed.unicodeScalars.filter { !$0.isASCII }
        let onlyMarks = rest.allSatisfy { $0.properties.generalCategory == .nonspacingMark }
        return letters.isEmpty || !onlyMarks ? .space : .letters(letters)
    }
}
