import Foundation
import LyricsCore

/// Softmax over each row of logits followed by the negative log-likelihood of the target class.
public enum SoftmaxCrossEntropy {
    /// Returns the summed loss in nats over `rows` rows and, when `gradient` is given, writes
    /// `gradScale * (softmax - onehot)` into it (pass `1 / rows` for the gradient of the mean).
    /// A negative target marks a padding row: it adds no loss and gets a zero gradient.
    @discardableResult
    public static func loss(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int, classes: Int,
                            gradient: UnsafeMutablePointer<Float>?, gradScale: Float) -> Double {
        // Stack scratch for one row's exponentials: no heap allocation per call.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(classes, 1)) { buf in
            lossRows(logits: logits, targets: targets, rows: rows, classes: classes, gradient: gradient,
                     gradScale: gradScale, scratch: buf.baseAddress!)
        }
    }

    private static func lossRows(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int, classes: Int,
                                 gradient: UnsafeMutablePointer<Float>?, gradScale: Float,
                                 scratch: UnsafeMutablePointer<Float>) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let t = Int(targets[r])
            if t < 0 {
                if let gradient { (gradient + r * classes).update(repeating: 0, count: classes) }
                continue
            }
            let z = logits + r * classes
            var m = z[0]
            for j in 1..<max(classes, 1) where z[j] > m { m = z[j] }
            for j in 0..<classes { scratch[j] = z[j] - m }
            exp(scratch, classes)
            var sum: Float = 0
            for j in 0..<classes { sum += scratch[j] }
            precondition(t < classes, "target \(t) outside \(classes) classes")
            total += Foundation.log(Double(sum)) - Double(z[t] - m)
            if let gradient {
                let g = gradient + r * classes
                let inv = gradScale / sum
                for j in 0..<classes { g[j] = scratch[j] * inv }
                g[t] -= gradScale
            }
        }
        return total
    }

    /// In-place exp over `count` floats.
    static func exp(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        let raw = UnsafeMutableRawPointer(p)
        while i + 8 <= count {
            let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            raw.storeBytes(of: Activation.exp8(x), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { p[i] = Activation.exp1(p[i]); i += 1 }
    }
}

