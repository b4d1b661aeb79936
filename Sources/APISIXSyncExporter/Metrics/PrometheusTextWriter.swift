import NIOCore

/// Writes the Prometheus text exposition format (version 0.0.4) into buffers of about `chunkSize` bytes.
///
/// Every family is written whole (HELP, TYPE, then its samples), so a family appears once in the output. The text is
/// kept in chunks, each cut after a whole line: 8 MB of `/metrics` at 10,000 Services grew one array by doubling (the
/// old and the new storage live at once while it copies) and was then copied into the response whole.
struct PrometheusTextWriter {
    /// The text after the last full chunk.
    private(set) var bytes: [UInt8] = []
    private var chunks: [ByteBuffer] = []
    let chunkSize: Int

    init(chunkSize: Int = 1 << 18) {
        self.chunkSize = chunkSize
        bytes.reserveCapacity(chunkSize + 1024)
    }

    /// Every chunk written, the partial last one included.
    consuming func finish() -> [ByteBuffer] {
        if !bytes.isEmpty { chunks.append(ByteBuffer(bytes: bytes)) }
        return chunks
    }

    /// A line ended: a full chunk is put aside.
    private mutating func lineEnded() {
        guard bytes.count >= chunkSize else { return }
        chunks.append(ByteBuffer(bytes: bytes))
        bytes.removeAll(keepingCapacity: true)
    }

    /// The `# HELP` and `# TYPE` lines of a family.
    mutating func header(_ family: MetricFamily) {
        bytes.append(contentsOf: "# HELP ".utf8)
        bytes.append(contentsOf: family.name.utf8)
        bytes.append(UInt8(ascii: " "))
        for byte in family.help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(contentsOf: "\n# TYPE ".utf8)
        bytes.append(contentsOf: family.name.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: family.kind.rawValue.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lineEnded()
    }

    /// The label pairs of one series without braces (`a="x",b="y"`), to reuse for each line of a histogram.
    static func labelPairs(names: [String], values: [String]) -> [UInt8] {
        var pairs: [UInt8] = []
        for (index, name) in names.enumerated() {
            if index > 0 { pairs.append(UInt8(ascii: ",")) }
            pairs.append(contentsOf: name.utf8)
            pairs.append(contentsOf: "=\"".utf8)
            let value = index < values.count ? values[index] : ""
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): pairs.append(contentsOf: #"\\"#.utf8)
                case UInt8(ascii: "\""): pairs.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\n"): pairs.append(contentsOf: #"\n"#.utf8)
                default: pairs.append(byte)
                }
            }
            pairs.append(UInt8(ascii: "\""))
        }
        return pairs
    }

    /// One sample line: `name{labels,extra} value`.
    mutating func sample(
        _ name: String,
        suffix: String = "",
        labels: [UInt8],
        extra: (name: String, value: String)? = nil,
        value: String
    ) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: suffix.utf8)
        if !labels.isEmpty || extra != nil {
            bytes.append(UInt8(ascii: "{"))
            bytes.append(contentsOf: labels)
            if let extra {
                if !labels.isEmpty { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: extra.name.utf8)
                bytes.append(contentsOf: "=\"".utf8)
                bytes.append(contentsOf: extra.value.utf8)  // only `le` bounds: never needs escaping
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: value.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lineEnded()
    }

    /// A gauge or sum value: integers without a fraction, everything else as Swift prints a `Double`
    /// (which Prometheus parses, including `+Inf`, `-Inf` and `NaN`).
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        return value.description
    }
}
