import Foundation

/// Idle per-request workers (a model copy with its own recurrent state), handed out one per
/// request and returned afterwards. Loaded weights stay read-only and shared through `make`, so
/// concurrent requests never touch each other's state, and steady-state requests allocate nothing.
final class GeneratorPool<Worker>: @unchecked Sendable {
    private var idle: [Worker] = []
    private let lock = NSLock()
    private let make: () throws -> Worker
    private let maxIdle: Int

    init(maxIdle: Int = 4, make: @escaping () throws -> Worker) {
        self.make = make
        self.maxIdle = maxIdle
    }

    func with<T>(_ body: (Worker) throws -> T) throws -> T {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        let worker = try reused ?? make()
        defer {
            lock.lock()
            if idle.count < maxIdle { idle.append(worker) }
            lock.unlock()
        }
        return try body(worker)
    }
}
