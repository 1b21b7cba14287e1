import Foundation

/// The one error type the tool shows to users: a single line that names the file (when there is one)
/// and the problem, so the command line can print it and exit non-zero without a stack trace.
public struct LyricsError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String?
    public let problem: String

    public init(file: String? = nil, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String {
        if let file { return "\(file): \(problem)" }
        return problem
    }
}

extension LyricsError: LocalizedError {
    public var errorDescription: String? { description }
}
