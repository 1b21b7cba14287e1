import Foundation
import XCTest

extension XCTestCase {
    /// A new empty folder under the system's temporary directory, removed when the test ends:
    /// the one way a test gets a place to write, so no test leaves files behind or shares a
    /// folder with another.
    public func temporaryFolder(_ prefix: String = "lyrics-test") throws -> URL {
        let dir = try LyricsExecutable.makeTemporaryDirectory(prefix)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}
