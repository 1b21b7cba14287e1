import Foundation
import Hummingbird

/// The page's files (Resources/: the studio's HTML, CSS and JavaScript, the classic one-form
/// page, the OpenAPI document), kept as real files in the repository and shipped as the server
/// module's resource bundle (`Lyrics_LyricsServer.resources`, beside the binary; install.sh
/// copies it). Read once, at start-up: nothing is fetched from elsewhere, so the page works
/// offline.
enum StaticFiles {
    /// URL path → file in Resources/ and its media type.
    static let routes: [(path: String, file: String, type: String)] = [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/studio.css", "studio.css", "text/css; charset=utf-8"),
        ("/studio.js", "studio.js", "text/javascript; charset=utf-8"),
        ("/classic", "classic.html", "text/html; charset=utf-8"),
        ("/openapi.json", "openapi.json", "application/json"),
    ]

    /// The folder the files are in: `$LYRICS_SERVER_RESOURCES` (a checkout's
    /// Sources/LyricsServer/Resources, to edit the page without rebuilding), else the bundle.
    static var folder: URL {
        if let env = ProcessInfo.processInfo.environment["LYRICS_SERVER_RESOURCES"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return Bundle.module.bundleURL.appendingPathComponent("Resources")
    }

    /// Every file's bytes; a missing one is a one-line error naming it (an installed binary
    /// without its resource bundle).
    /// The OpenAPI document names this server's models as the `model` field's enum, so a client
    /// generated from it (or Schemathesis) knows the valid names.
    static func load(models: [String]) throws -> [String: ByteBuffer] {
        var out = [String: ByteBuffer]()
        for r in routes {
            let url = folder.appendingPathComponent(r.file)
            guard var data = FileManager.default.contents(atPath: url.path) else {
                throw HTTPError(.internalServerError, message: "\(url.path): page file missing (copy Lyrics_LyricsServer.resources beside the binary)")
            }
            if r.file == "openapi.json", !models.isEmpty { data = try withModelNames(data, models) }
            out[r.file] = ByteBuffer(bytes: data)
        }
        return out
    }

    /// `document` with `"enum": models` on every string property called `model`.
    static func withModelNames(_ document: Data, _ models: [String]) throws -> Data {
        func walk(_ value: Any) -> Any {
            if let list = value as? [Any] { return list.map(walk) }
            guard var object = value as? [String: Any] else { return value }
            for (key, child) in object { object[key] = walk(child) }
            if var properties = object["properties"] as? [String: Any],
               var model = properties["model"] as? [String: Any], model["type"] as? String == "string" {
                model["enum"] = models
                properties["model"] = model
                object["properties"] = properties
            }
            return object
        }
        let parsed = try JSONSerialization.jsonObject(with: document)
        return try JSONSerialization.data(withJSONObject: walk(parsed), options: [.prettyPrinted, .sortedKeys])
    }

    static func add(to router: Router<BasicRequestContext>, models: [String]) {
        // A missing file answers with its error rather than stopping the API.
        let files: Result<[String: ByteBuffer], Error> = Result { try load(models: models) }
        for r in routes {
            router.get(RouterPath(stringLiteral: r.path)) { _, _ -> Response in
                let buffer = try files.get()[r.file]!
                return Response(status: .ok, headers: [.contentType: r.type, .cacheControl: "no-cache"], body: .init(byteBuffer: buffer))
            }
        }
    }
}
