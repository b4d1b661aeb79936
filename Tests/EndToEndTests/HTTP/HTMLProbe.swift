/// Just enough HTML reading for the status page tests: find start tags by a marker, read attributes, count.
struct HTMLProbe {
    let html: String

    init(_ html: String) { self.html = html }

    /// Every start tag (`<name ...>`) that contains `marker`, e.g. `data-mark="recommendation"`.
    func tags(containing marker: String) -> [Substring] {
        var found: [Substring] = []
        var searchFrom = html.startIndex
        while let hit = html.range(of: marker, range: searchFrom..<html.endIndex) {
            guard let open = html[..<hit.lowerBound].lastIndex(of: "<"),
                let close = html[hit.upperBound...].firstIndex(of: ">")
            else { break }
            found.append(html[open...close])
            searchFrom = html.index(after: close)
        }
        return found
    }

    /// The first start tag containing `marker`.
    func tag(containing marker: String) -> Substring? { tags(containing: marker).first }

    /// An attribute's raw (still escaped) value in a start tag.
    static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        guard let end = tag[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(tag[start.upperBound..<end])
    }

    /// The text between the start tag containing `marker` and the matching end tag `</name>` (not nested).
    func element(containing marker: String, name: String) -> Substring? {
        guard let hit = html.range(of: marker), let open = html[..<hit.lowerBound].lastIndex(of: "<"),
            let end = html[hit.upperBound...].range(of: "</\(name)>")
        else { return nil }
        return html[open..<end.upperBound]
    }

    /// Every value of an attribute in the document, e.g. all `href`s.
    func values(of attribute: String) -> [String] {
        var values: [String] = []
        var searchFrom = html.startIndex
        let needle = " \(attribute)=\""
        while let hit = html.range(of: needle, range: searchFrom..<html.endIndex),
            let end = html[hit.upperBound...].firstIndex(of: "\"")
        {
            values.append(String(html[hit.upperBound..<end]))
            searchFrom = end
        }
        return values
    }

    func count(_ needle: String) -> Int {
        html.components(separatedBy: needle).count - 1
    }
}
