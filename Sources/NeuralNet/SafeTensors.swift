import Foundation
import LyricsCore

/// Reads and writes the safetensors layout (https://github.com/huggingface/safetensors): an
/// 8-byte little-endian header length, a JSON header mapping each tensor name to
/// `{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}` plus a `__metadata__`
/// string map, then the raw little-endian tensor bytes. Python's `safetensors` opens our files;
/// only F32 tensors are written or read. Every malformed input becomes a one-line `LyricsError`.
///
/// Every file we write carries `tensors_crc32` in `__metadata__`: the CRC-32 (zlib's) of all the
/// bytes after the header, as 8 hex digits. Reading verifies it, so a flipped bit in a weight,
/// which would otherwise load silently as a wrong number, refuses the file; files without the
/// key (the shipped models, other tools' files) load unchecked. Python's `safetensors` ignores it.
public enum SafeTensors {
    /// The metadata key of the tensor data's checksum.
    public static let checksumKey = "tensors_crc32"

    public struct Tensor {
        public var name: String
        public var shape: [Int]
        public var values: UnsafeBufferPointer<Float>
        public init(name: String, shape: [Int], values: UnsafeBufferPointer<Float>) {
            precondition(shape.reduce(1, *) == values.count, "tensor \(name): shape \(shape) for \(values.count) values")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// Writes tensors (in the given order) and metadata atomically to `path`.
    public static func write(_ tensors: [Tensor], metadata: [String: String], to path: String) throws {
        var crc = CRC32()
        for t in tensors { crc.add(UnsafeRawBufferPointer(t.values)) }
        var metadata = metadata
        metadata[checksumKey] = CRC32.hex(crc.value)
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for t in tensors {
            let bytes = t.values.count * 4
            header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the tensor data starts 8-byte aligned, as the reference writer does.
        while (json.count + 8) % 8 != 0 { json.append(0x20) }
        var length = UInt64(json.count).littleEndian
        try AtomicFile.write(to: path) { handle in
            try handle.write(contentsOf: Data(bytes: &length, count: 8))
            try handle.write(contentsOf: json)
            for t in tensors where t.values.count > 0 {
                // Floats are stored little-endian; every platform Swift targets here is little-endian.
                try handle.write(contentsOf: Data(buffer: t.values))
            }
        }
    }

    /// A parsed file: metadata and tensor locations, with the bytes kept in memory.
    public struct File {
        public let path: String
        public let metadata: [String: String]
        public let shapes: [String: [Int]]
        private let ranges: [String: Range<Int>]
        private let data: Data
        private let dataStart: Int

        public init(path: String) throws {
            let data = try InputFile.read(path)
            try self.init(data: data, path: path)
        }

        public init(data: Data, path: String) throws {
            self.path = path
            self.data = data
            func fail(_ problem: String) -> LyricsError { LyricsError(file: path, problem) }
            guard data.count >= 8 else { throw fail("not a safetensors file (only \(data.count) bytes)") }
            let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            guard length <= UInt64(data.count - 8) else {
                throw fail("truncated or not a safetensors file (header of \(length) bytes, file has \(data.count))")
            }
            dataStart = 8 + Int(length)
            let headerData = data.subdata(in: 8..<dataStart)
            guard let object = try? JSONSerialization.jsonObject(with: headerData), let header = object as? [String: Any] else {
                throw fail("not a safetensors file (header is not a JSON object)")
            }
            var metadata = [String: String]()
            if let m = header["__metadata__"] {
                guard let dict = m as? [String: String] else { throw fail("safetensors __metadata__ is not a string map") }
                metadata = dict
            }
            var shapes = [String: [Int]](), ranges = [String: Range<Int>]()
            let available = data.count - dataStart
            for (name, value) in header where name != "__metadata__" {
                guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                      let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2 else {
                    throw fail("malformed safetensors entry for tensor '\(name)'")
                }
                guard dtype == "F32" else { throw fail("tensor '\(name)' has dtype \(dtype), expected F32") }
                guard shape.allSatisfy({ $0 >= 0 }), let bytes = File.byteCount(shape), offsets[0] >= 0, offsets[0] <= offsets[1],
                      offsets[1] - offsets[0] == bytes else {
                    throw fail("tensor '\(name)': shape \(shape) does not match its data offsets")
                }
                guard offsets[1] <= available else {
                    throw fail("truncated file: tensor '\(name)' ends at byte \(offsets[1]) of \(available) data bytes")
                }
                shapes[name] = shape
                ranges[name] = offsets[0]..<offsets[1]
            }
            if let stored = metadata[checksumKey] {
                guard stored.utf8.count == 8, let expected = UInt32(stored, radix: 16) else {
                    throw fail("malformed \(checksumKey) metadata '\(stored.prefix(20))'")
                }
                var crc = CRC32()
                data.withUnsafeBytes { crc.add(UnsafeRawBufferPointer(rebasing: $0[(8 + Int(length))...])) }
                guard crc.value == expected else {
                    throw fail("damaged tensor data: checksum \(CRC32.hex(crc.value)) does not match the stored \(checksumKey) \(stored)")
                }
            }
            self.metadata = metadata
            self.shapes = shapes
            self.ranges = ranges
        }

        /// 4 bytes per element, nil when the product overflows (a foreign header can claim any shape).
        public static func byteCount(_ shape: [Int]) -> Int? {
            var n = 4
            for d in shape {
                let (m, overflow) = n.multipliedReportingOverflow(by: d)
                if overflow { return nil }
                n = m
            }
            return n
        }

        /// Copies tensor `name` into `destination`, which must hold exactly its element count.
        public func read(_ name: String, into destination: UnsafeMutableBufferPointer<Float>, shape expected: [Int]? = nil) throws {
            guard let range = ranges[name], let shape = shapes[name] else {
                throw LyricsError(file: path, "tensor '\(name)' is missing")
            }
            if let expected, expected != shape {
                throw LyricsError(file: path, "tensor '\(name)' has shape \(shape), expected \(expected)")
            }
            guard range.count == destination.count * 4 else {
                throw LyricsError(file: path, "tensor '\(name)' has \(range.count / 4) values, expected \(destination.count)")
            }
            let start = dataStart + range.lowerBound
            data.withUnsafeBytes { raw in
                let src = UnsafeRawBufferPointer(rebasing: raw[start..<(start + range.count)])
                UnsafeMutableRawBufferPointer(destination).copyMemory(from: src)
            }
        }

        public func floats(_ name: String) throws -> [Float] {
            guard let shape = shapes[name] else { throw LyricsError(file: path, "tensor '\(name)' is missing") }
            var out = [Float](repeating: 0, count: shape.reduce(1, *))
            try out.withUnsafeMutableBufferPointer { try read(name, into: $0) }
            return out
        }

        public func meta(_ key: String) throws -> String {
            guard let v = metadata[key] else { throw LyricsError(file: path, "metadata '\(key)' is missing") }
            return v
        }
    }
}
