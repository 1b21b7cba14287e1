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
    /// The first `done` reported: a resumed run starts part way, and its rate and ETA count only
    /// what this process did.
    private var firstDone: Double?

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
        if firstDone == nil { firstDone = done }
        let now = Date()
        guard force || now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        let secs = max(now.timeIntervalSince(start), 1e-9)
        let (rate, eta) = Self.estimate(done: done, first: firstDone ?? 0, total: total, seconds: secs)
        let frac = min(done / total, 1)
        let line = String(format: "%@ %5.1f%%  %@ %@/s  %@  elapsed %@  ETA %@",
                          label, frac * 100, Self.humanCount(rate), unit, extra,
                          Self.duration(secs), Self.duration(max(eta, 0)))
        Self.write(isTTY ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// Rate and seconds left from what this process did (`done − first` in `seconds`), so a run
    /// resumed at 90% does not report ten times its real rate and a tenth of its ETA.
    public static func estimate(done: Double, first: Double, total: Double, seconds: Double) -> (rate: Double, eta: Double) {
        let rate = max(done - first, 0) / max(seconds, 1e-9)
        return (rate, rate > 0 ? max(total - done, 0) / rate : 0)
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
