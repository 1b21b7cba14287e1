/// Word tokens of normalised text: the space-separated words of each line followed by a newline
/// token, so line breaks are words the models can predict and `detokenize(tokenize(t)) == t` for
/// normalised `t`. The newline token is spelt "</s>" as in word2vec.c, so our vector files read
/// naturally in gensim.
public enum WordTokenizer {
    public static let newline = "</s>"

    public static func tokenize(_ normalized: String) -> [String] {
        var tokens = [String]()
        forEachToken(in: normalized) { tokens.append($0) }
        return tokens
    }

    /// Visits tokens without building an array, for corpora of tens of millions of words.
    public static func forEachToken(in normalized: String, _ body: (String) -> Void) {
        var text = normalized
        text.withUTF8 { buf in
            forEachTokenBytes(in: UnsafeRawBufferPointer(buf)) { slice in
                if let slice { body(String(decoding: slice, as: UTF8.self)) } else { body(newline) }
            }
        }
    }

    /// Visits token byte ranges; `nil` stands for the newline token.
    @inline(__always)
    public static func forEachTokenBytes(in buf: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) -> Void) {
        var start = 0
        let n = buf.count
        var i = 0
        while i < n {
            let b = buf[i]
            if b == 0x20 || b == 0x0A {
                if i > start { body(UnsafeRawBufferPointer(rebasing: buf[start..<i])) }
                if b == 0x0A { body(nil) }
                start = i + 1
            }
            i += 1
        }
        if n > start { body(UnsafeRawBufferPointer(rebasing: buf[start..<n])) }
    }

    /// Joins tokens back into lines: words separated by single spaces, the newline token ends a line.
    public static func detokenize<S: Sequence>(_ tokens: S) -> String where S.Element == String {
        var out = ""
        var atLineStart = true
        for t in tokens {
            if t == newline {
                out += "\n"
                atLineStart = true
            } else {
                if !atLineStart { out += " " }
                out += t
                atLineStart = false
            }
        }
        return out
    }
}
