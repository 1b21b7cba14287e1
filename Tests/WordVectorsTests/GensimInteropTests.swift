import Foundation
import LyricsCore
import TestSupport
@testable import WordVectors
import XCTest

/// gensim reads our .vec/.bin files and we read gensim-written ones (python3 via Process).
final class GensimInteropTests: XCTestCase {
    func requireGensim() throws {
        guard let r = Python.run("import gensim, numpy"), r.status == 0 else {
            throw XCTSkip("python3 with gensim and numpy is not available; skipping the gensim interoperability test")
        }
    }

    func testGensimReadsOurFiles() throws {
        try requireGensim()
        let dir = WV.tempDir(self)
        let e = WV.randomEmbedding(words: ["</s>", "the", "<unk>", "rose", "été", "o'er"], dim: 5)
        try VectorFile.write(e, to: dir + "/ours.vec")
        try VectorFile.write(e, to: dir + "/ours.bin")
        let script = """
        import sys, json
        from gensim.models import KeyedVectors
        out = {}
        for name, binary in (("ours.vec", False), ("ours.bin", True)):
            kv = KeyedVectors.load_word2vec_format(sys.argv[1] + "/" + name, binary=binary)
            out[name] = {"words": list(kv.index_to_key), "vectors": [float(x) for x in kv.vectors.ravel()]}
        print(json.dumps(out))
        """
        let r = try XCTUnwrap(Python.run(script, args: [dir]))
        XCTAssertEqual(r.status, 0, r.err)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: [String: Any]])
        for name in ["ours.vec", "ours.bin"] {
            XCTAssertEqual(obj[name]?["words"] as? [String], e.words, name)
            let v = try XCTUnwrap(obj[name]?["vectors"] as? [Double]).map(Float.init)
            XCTAssertEqual(v, e.vectors, name)
        }
    }

    func testWeReadGensimWrittenFiles() throws {
        try requireGensim()
        let dir = WV.tempDir(self)
        let script = """
        import sys, json, numpy as np
        from gensim.models import KeyedVectors
        kv = KeyedVectors(vector_size=4)
        words = ["</s>", "and", "été", "o'er", "<unk>"]
        vecs = np.random.default_rng(5).normal(size=(5, 4)).astype(np.float32)
        kv.add_vectors(words, vecs)
        kv.save_word2vec_format(sys.argv[1] + "/g.vec", binary=False)
        kv.save_word2vec_format(sys.argv[1] + "/g.bin", binary=True)
        print(json.dumps({"words": words, "vectors": [float(x) for x in vecs.ravel()]}))
        """
        let r = try XCTUnwrap(Python.run(script, args: [dir]))
        XCTAssertEqual(r.status, 0, r.err)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let words = try XCTUnwrap(obj["words"] as? [String])
        let vectors = try XCTUnwrap(obj["vectors"] as? [Double]).map(Float.init)
        for name in ["g.vec", "g.bin"] {
            let e = try VectorFile.read(dir + "/" + name)
            XCTAssertEqual(e.words, words, name)
            XCTAssertEqual(e.vectors, vectors, name)
        }
    }
}
