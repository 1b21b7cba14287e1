import CharModel
import Foundation
import FuzzSupport
import NeuralNet
import WordModel

/// Checkpoints: the safetensors header (length, JSON, tensor table, metadata, checksum), then
/// every tensor's values, then the char and word checkpoint checks (format, version, config,
/// vocabulary, shapes) and, for char files that pass, building the model from the weights.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Fuzz.data(bytes, count)
    Fuzz.expectCleanError {
        let file = try SafeTensors.File(data: data, path: "fuzz.safetensors")
        for name in file.shapes.keys.sorted() where (SafeTensors.File.byteCount(file.shapes[name]!) ?? .max) <= 1 << 24 {
            _ = try file.floats(name)
        }
        Fuzz.expectCleanError {
            let loaded = try CharCheckpoint.load(file)
            _ = try CharCheckpoint.model(loaded, batch: 1, maxSteps: 1)
        }
        Fuzz.expectCleanError { _ = try WordCheckpoint.load(file) }
    }
    return 0
}

@_cdecl("FuzzSafeTensors_main")
public func fuzzSafeTensorsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.main(argc, argv, fuzzSafeTensors)
}
