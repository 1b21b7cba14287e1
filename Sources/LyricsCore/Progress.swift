import Foundation

/// Progress for long work on stderr (results stay on stdout): percent, rate, caller-supplied
/// figures such as loss or learning rate, and ETA. On a terminal it redraws one line; otherwise
/// (logs, CI) it prints a line every few seconds so logs stay short.
public final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let total: Double
    private let enabled: Bool
    private let start = Date()
    private var lastPrint = Date.distantPast
    private let interval: TimeInterval
    private let isTTY: Bool
    private let lock = NSLock()

    public init(label: String, total: Double, unit: String, enabled: Bool = true) {
        self.label = label
        self.total = max(total, 1)
        self.unit = unit
        self.enabled = enabled
        isTTY = isatty(2) == 1
        interval = isTTY ? 0.25 : 5
    }

    public var elapsed: TimeInterval { Date().timeIntervalSince(start) }

    /// Reports `done` units finished; `extra` is appended (e.g. "loss 1.234 lr 0.0100").
    public func update(done: Double, extra: String = "", force: Bool = false) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard force || now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        let secs = max(now.timeIntervalSince(start), 1e-9)
        let rate = done / secs
        let frac = min(done / total, 1)
        let eta = rate > 0 ? (total - done) / rate : 0
        let line = String(format: "%@ %5.1f%%  %@ %@/s  %@  elapsed %@  ETA %@",
                          label, frac * 100, Self.humanCount(rate), unit, extra,
                          Self.duration(secs), Self.duration(max(eta, 0)))
        Self.write(isTTY ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// Ends the progress line with a summary.
    public func finish(_ summary: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        Self.write((isTTY ? "\r\u{1B}[K" : "") + "\(label) done in \(Self.duration(elapsed)): \(summary)\n")
    }

    /// Progress comes from rank 0 alone in a distributed run.
    public static func write(_ s: String) {
        guard Distributed.joined.isRoot else { return }
        FileHandle.standardError.write(s.data(using: .utf8)!)
    }

    public static func humanCount(_ x: Double) -> String {
        if x >= 1e6 { return String(format: "%.2fM", x / 1e6) }
        if x >= 1e3 { return String(format: "%.1fk", x / 1e3) }
        return String(format: "%.1f", x)
    }

    public static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        if t >= 3600 { return String(format: "%dh%02dm", t / 3600, (t % 3600) / 60) }
        if t >= 60 { return String(format: "%dm%02ds", t / 60, t % 60) }
        return String(format: "%.1fs", s)
    }
}
