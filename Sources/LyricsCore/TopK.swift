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
        // A token enters only with a logit above the worst kept one once the heap is full (ids
        // rise, so an equal logit never wins its tie): `floor` is that logit (−infinity before).
        var floor = -Float.infinity
        func consider(_ j: Int, _ x: Float) {
            if heap.count == k, !(x > floor) { return }
            let c = Candidate(token: Int32(j), logit: x)
            if x == -.infinity || excluded.contains(c.token) { return }
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
            if heap.count == k { floor = heap[0].logit }
        }
        guard let base = logits.baseAddress else { return }
        let n = logits.count, raw = UnsafeRawPointer(base)
        var j = 0
        // Sixteen tokens at a time once the heap is full: one vector compare skips a block none
        // of which enters, which is most of a vocabulary.
        while j < n {
            if heap.count == k, j + 16 <= n {
                // Four SSE-width compares (the package builds for baseline x86-64, where a
                // SIMD16 compare spills to the stack).
                let f = SIMD4<Float>(repeating: floor)
                let above = (raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD4<Float>.self) .> f)
                    .| (raw.loadUnaligned(fromByteOffset: j * 4 + 16, as: SIMD4<Float>.self) .> f)
                    .| (raw.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD4<Float>.self) .> f)
                    .| (raw.loadUnaligned(fromByteOffset: j * 4 + 48, as: SIMD4<Float>.self) .> f)
                if any(above) {
                    for q in j..<(j + 16) { consider(q, base[q]) }
                }
                j += 16
            } else {
                consider(j, base[j])
                j += 1
            }
        }
        heap.sort { worse($1, $0) }
    }
}
