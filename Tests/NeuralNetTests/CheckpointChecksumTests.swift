import Foundation
import LyricsCore
@testable import NeuralNet
import XCTest

/// `tensors_crc32`: written into every safetensors file we save, verified on load; files
/// without it (the shipped models, other tools' files) still load; a mismatch, a malformed value
/// or a header claiming an impossible shape is one `LyricsError` naming the file.
final class CheckpointChecksumTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("checksum-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testCRC32MatchesZlib() {
        var crc = CRC32()
        Array("123456789".utf8).withUnsafeBytes { crc.add($0) }
        XCTAssertEqual(CRC32.hex(crc.value), "cbf43926")  // the standard check value (zlib.crc32)
        // Fed in pieces of every length, as the writer feeds tensors.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var whole = CRC32(), pieces = CRC32()
        bytes.withUnsafeBytes { whole.add($0) }
        var i = 0, n = 1
        while i < bytes.count { let j = min(bytes.count, i + n); bytes[i..<j].withUnsafeBytes { pieces.add($0) }; i = j; n += 1 }
        XCTAssertEqual(whole.value, pieces.value)
    }

    func written() throws -> String {
        let path = dir.appendingPathComponent("t.safetensors").path
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [0.5, -1, 2]
        try a.withUnsafeBufferPointer { pa in
            try b.withUnsafeBufferPointer { pb in
                try SafeTensors.write([.init(name: "a", shape: [2, 2], values: pa), .init(name: "b", shape: [3], values: pb)],
                                      metadata: ["format": "test"], to: path)
            }
        }
        return path
    }

    func testWrittenFilesCarryAVerifiedChecksum() throws {
        let path = try written()
        let file = try SafeTensors.File(path: path)
        let stored = try XCTUnwrap(file.metadata[SafeTensors.checksumKey])
        var crc = CRC32()
        ([1, 2, 3, 4, 0.5, -1, 2] as [Float]).withUnsafeBytes { crc.add($0) }
        XCTAssertEqual(stored, CRC32.hex(crc.value))
        XCTAssertEqual(try file.floats("b"), [0.5, -1, 2])
    }

    func testEveryFlippedDataByteIsRefusedNamingTheFile() throws {
        let path = try written()
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        for offset in (good.count - 28)..<good.count {
            var bad = good
            bad[offset] ^= 0x01
            XCTAssertThrowsError(try SafeTensors.File(data: bad, path: path)) { error in
                let e = error as? LyricsError
                XCTAssertEqual(e?.file, path)
                XCTAssertTrue(e?.problem.hasPrefix("damaged tensor data: checksum") ?? false, "\(error)")
            }
        }
    }

    /// A file as Python's safetensors or an older build writes it: no checksum, loads unchecked.
    func testFilesWithoutTheChecksumStillLoad() throws {
        let file = try SafeTensors.File(data: Self.file(header: #"{"__metadata__":{"format":"x"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                                                        data: [0, 0, 128, 63]), path: "old.safetensors")
        XCTAssertEqual(try file.floats("a"), [1])
    }

    func testMalformedChecksumIsRefused() throws {
        let data = Self.file(header: #"{"__metadata__":{"tensors_crc32":"xyz"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 128, 63])
        XCTAssertThrowsError(try SafeTensors.File(data: data, path: "m.safetensors")) {
            XCTAssertEqual(($0 as? LyricsError)?.description, "m.safetensors: malformed tensors_crc32 metadata 'xyz'")
        }
    }

    /// Found before fuzzing, by reading the header checks: a shape whose element count overflows
    /// Int trapped in `shape.reduce(1, *) * 4`.
    func testOverflowingShapeIsRefused() throws {
        let data = Self.file(header: #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#, data: [])
        XCTAssertThrowsError(try SafeTensors.File(data: data, path: "o.safetensors")) {
            XCTAssertEqual(($0 as? LyricsError)?.file, "o.safetensors")
        }
    }

    static func file(header: String, data: [UInt8]) -> Data {
        var length = UInt64(header.utf8.count).littleEndian
        return Data(bytes: &length, count: 8) + Data(header.utf8) + Data(data)
    }
}
