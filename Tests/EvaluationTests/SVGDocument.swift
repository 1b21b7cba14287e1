import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Evaluation

/// An SVG parsed with Foundation's XMLParser into its elements, so tests can check geometry: text
/// boxes (measured as the plotting code measures them), the legend box and the polylines.
final class SVGDocument: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        func number(_ key: String) -> Double { Double(attributes[key] ?? "") ?? .nan }
    }
    private(set) var elements = [Element]()
    private var open: Int?

    /// Parses `svg`, failing the test when it is not well-formed XML.
    init(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        XCTAssertTrue(parser.parse(), "SVG does not parse: \(String(describing: parser.parserError))", file: file, line: line)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes))
        open = name == "text" ? elements.count - 1 : nil
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = open { elements[i].text += string }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open = nil }

    var svgSize: (w: Double, h: Double) { (elements[0].number("width"), elements[0].number("height")) }
    var texts: [Element] { elements.filter { $0.name == "text" } }

    /// A text's box: width from `PlotText`, height 1.2 em above the baseline-ish (0.95 em ascent).
    /// Rotated texts (the y-axis label) are returned rotated.
    func box(_ t: Element) -> PlotRect {
        let size = t.number("font-size"), w = PlotText.width(t.text, size: size)
        let x = t.number("x"), y = t.number("y")
        let left: Double
        switch t.attributes["text-anchor"] {
        case "middle": left = x - w / 2
        case "end": left = x - w
        default: left = x
        }
        if t.attributes["transform"]?.hasPrefix("rotate(-90") == true {
            return PlotRect(x: x - 0.95 * size, y: y - w / 2, w: 1.2 * size, h: w)
        }
        return PlotRect(x: left, y: y - 0.95 * size, w: w, h: 1.2 * size)
    }

    var polylines: [[(x: Double, y: Double)]] {
        elements.filter { $0.name == "polyline" }.map { e in
            (e.attributes["points"] ?? "").split(separator: " ").map { pair in
                let v = pair.split(separator: ",").map { Double($0)! }
                return (v[0], v[1])
            }
        }
    }
}
