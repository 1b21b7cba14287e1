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
            precondition(t < classes, "target \(t) outside \(classes) classes")
            // The exponentials go straight into the gradient row when there is one.
            let e = gradient.map { $0 + r * classes } ?? scratch
            e.update(from: logits + r * classes, count: classes)
            let row = RowSoftmax.negativeLogLikelihood(e, count: classes, target: t)
            total += row.nats
            if gradient != nil { RowSoftmax.toGradient(e, count: classes, sum: row.sum, target: t, scale: gradScale) }
        }
        return total
    }
}
