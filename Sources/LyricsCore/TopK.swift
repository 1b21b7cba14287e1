/// A token (or any index) and its score.
public struct Candidate: Equatable, Sendable {
    public var token: Int32
    public var logit: Float

    public init(token: Int32, logit: Float) {
        self.token = token
        self.logit = logit
    }
}

/// Top-k by partial selection, for the sampler and for nearest-word queries alike.
public enum TopK {
    /// The `k` highest scores, best first (ties: lower index first), skipping `excluded` and
    /// -infinity. A min-heap of size k: one pass, no sort of the whole vocabulary.
    public static func select(_ logits: UnsafeBufferPointer<Float>, k: Int, excluding excluded: [Int32] = [],
                              into heap: inout [Candidate]) {
        heap.removeAll(keepingCapacity: true)
        guard k > 0 else { return }
        // "Worse" = lower logit, or equal logit and higher id; the heap keeps the worst on top.
        @inline(__always) func worse(_ a: Candidate, _ b: Candidate) -> Bool {
            a.logit < b.logit || (a.logit == b.logit && a.token > b.token)
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, worse(heap[l], heap[m]) { m = l }
                if r < heap.count, worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        let n = logits.count, base = UnsafeRawPointer(logits.baseAddress)
        var j = 0
        while j < n {
            // Fast paths: once the heap is full, a token enters only with a logit above the worst
            // kept one (ids rise, so an equal logit never wins its tie); sixteen tokens none of
            // which does are skipped with one vector compare. Most of a vocabulary stops here.
            if heap.count == k, j % 16 == 0, j + 16 <= n, let base {
                let x = base.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self)
                if !any(x .> SIMD16(repeating: heap[0].logit)) { j += 16; continue }
            }
            defer { j += 1 }
            if heap.count == k, !(logits[j] > heap[0].logit) { continue }
            let c = Candidate(token: Int32(j), logit: logits[j])
            if c.logit == -.infinity || excluded.contains(c.token) { continue }
            if heap.count < k {
                heap.append(c)
                var i = heap.count - 1
                while i > 0 {
                    let p = (i - 1) / 2
                    guard worse(heap[i], heap[p]) else { break }
                    heap.swapAt(i, p)
                    i = p
                }
            } else if worse(heap[0], c) {
                heap[0] = c
                siftDown(0)
            }
        }
        heap.sort { worse($1, $0) }
    }
}
