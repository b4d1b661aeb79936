/// Golden exposition helpers: a family's whole text block, and an order of series that does not depend on hashing.
///
/// Counters and histograms are kept per label values in dictionaries, so series of one family come out in any order;
/// ``canonical(_:)`` sorts the series of each family by their labels (the lines of one histogram series keep their
/// order: buckets, sum, count). Families keep the order of the exposition.
enum ExpositionText {
    /// `text` with the series of each family sorted by their labels (without `le`).
    static func canonical(_ text: String) -> String {
        let body = text.hasSuffix("\n") ? text.dropLast() : Substring(text)
        var blocks: [[Substring]] = []
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# HELP") || blocks.isEmpty {
                blocks.append([line])
            } else {
                blocks[blocks.count - 1].append(line)
            }
        }
        return blocks.map { block in
            let headers = block.prefix { $0.hasPrefix("#") }
            let samples = block.dropFirst(headers.count).enumerated()
                .sorted { (seriesKey($0.element), $0.offset) < (seriesKey($1.element), $1.offset) }
                .map(\.element)
            return (headers + samples).joined(separator: "\n")
        }
        .joined(separator: "\n") + (text.hasSuffix("\n") ? "\n" : "")
    }

    /// The block of the family `name` (HELP, TYPE and its samples, no final newline) in canonical order; empty when
    /// it is absent.
    static func family(_ name: String, in text: String) -> String {
        guard let block = canonical(text).components(separatedBy: "# HELP ").first(where: { $0.hasPrefix(name + " ") })
        else { return "" }
        var family = "# HELP " + block
        while family.hasSuffix("\n") { family.removeLast() }
        return family
    }

    /// The labels of a sample line without `le`: the same for every line of one histogram series.
    private static func seriesKey(_ line: Substring) -> String {
        guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { return "" }
        let labels = line[line.index(after: open)..<close]
        guard let le = labels.range(of: ",le=\"") ?? labels.range(of: "le=\"") else { return String(labels) }
        return String(labels[..<le.lowerBound])
    }
}
