import Foundation

/// Ctrl-C during a training command: the handler only sets a flag, which the training loop
/// checks between steps, so the command can save a checkpoint at a step boundary and exit.
enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Installs the SIGINT handler (touching the flag first, so the handler never initialises it).
    static func install() {
        flag = 0
        signal(SIGINT) { _ in Interrupt.flag = 1 }
    }

    static var requested: Bool { flag != 0 }
}
