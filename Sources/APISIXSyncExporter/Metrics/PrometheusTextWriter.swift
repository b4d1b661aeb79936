import NIOCore

/// Writes the Prometheus text exposition format (version 0.0.4) into buffers of about `chunkSize` bytes.
///
/// Every family is written whole (HELP, TYPE, then its samples), so a family appears once in the output. The text is
/// kept in chunks, each cut after a whole line: 8 MB of `/metrics` at 10,000 Services grew one array by doubling (the
/// old and the new storage live at once while it copies) and was then copied into the response whole.
struct PrometheusTextWriter {
    /// The text after the last full chunk.
    private var bytes: [UInt8] = []
    private var chunks: [ByteBuffer] = []
    let chunkSize: Int

    init(chunkSize: Int = 1 << 18) {
        self.chunkSize = chunkSize
        bytes.reserveCapacity(chunkSize + 1024)
    }

    /// Every chunk written, the partial last one included.
    consuming func finish() -> [ByteBuffer] {
        if !bytes.isEmpty { chunks.append(Self.buffer(bytes)) }
        return chunks
    }

    /// A line ended: a full chunk is put aside.
    private mutating func lineEnded() {
        guard bytes.count >= chunkSize else { return }
        chunks.append(Self.buffer(bytes))
        bytes.removeAll(keepingCapacity: true)
    }

    /// A buffer of exactly the bytes' size (`ByteBuffer(bytes:)` grows to the next power of two: a chunk just over
    /// 256 KB took 512 KB).
    private static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
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
        pairs.reserveCapacity(names.reduce(0) { $0 + $1.utf8.count + 4 } + values.reduce(0) { $0 + $1.utf8.count })
        for (index, name) in names.enumerated() {
            if index > 0 { pairs.append(UInt8(ascii: ",")) }
            appendBytes(of: name, to: &pairs)
            pairs.append(UInt8(ascii: "="))
            pairs.append(UInt8(ascii: "\""))
            appendEscaped(index < values.count ? values[index] : "", to: &pairs)
            pairs.append(UInt8(ascii: "\""))
        }
        return pairs
    }

    /// Appends a string's UTF-8 bytes at once (a copy of contiguous storage).
    private static func appendBytes(of string: String, to bytes: inout [UInt8]) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a label value with `\`, `"` and line feeds escaped.
    private static func appendEscaped(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            let needsEscaping = utf8.contains {
                $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n")
            }
            // The usual case (Kubernetes names never need escaping): the value's bytes at once.
            guard needsEscaping else { return bytes.append(contentsOf: utf8) }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
                case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
                default: bytes.append(byte)
                }
            }
        }
    }

    /// What every series of one histogram family shares, as bytes prepared once per scrape: a family of 10,000 Services
    /// writes 200,000 bucket lines.
    struct HistogramLines {
        let name: String
        let bucket: [UInt8]
        /// `le="<bound>"} ` for each bound, then `+Inf`.
        let bounds: [[UInt8]]

        init(name: String, bounds: [String]) {
            self.name = name
            bucket = Array("\(name)_bucket{".utf8)
            self.bounds = (bounds + ["+Inf"]).map { Array("le=\"\($0)\"} ".utf8) }
        }
    }

    /// The lines of one histogram series: a `_bucket` line per bound (`cumulative` holds one count per bound) and
    /// `+Inf`, then `_sum` and `_count`; the same text as ``sample(_:suffix:labels:extra:value:)`` line by line.
    mutating func histogram(
        _ lines: HistogramLines,
        labels: [UInt8],
        cumulative: [UInt64],
        count: UInt64,
        sum: Double
    ) {
        for (index, bound) in lines.bounds.enumerated() {
            bytes.append(contentsOf: lines.bucket)
            if !labels.isEmpty {
                bytes.append(contentsOf: labels)
                bytes.append(UInt8(ascii: ","))
            }
            bytes.append(contentsOf: bound)
            appendDecimal(index < cumulative.count ? cumulative[index] : count)
            bytes.append(UInt8(ascii: "\n"))
        }
        sample(lines.name, suffix: "_sum", labels: labels, value: Self.format(sum))
        sample(lines.name, suffix: "_count", labels: labels, value: String(count))
    }

    /// What every line of one gauge family shares, as bytes prepared once per scrape: its name and an extra label
    /// pair (e.g. `change="add"`) that follows the series' own labels.
    struct GaugeLines {
        let name: [UInt8]
        let extra: [UInt8]

        init(name: String, extra: (name: String, value: String)? = nil) {
            self.name = Array(name.utf8)
            self.extra = extra.map { Array("\($0.name)=\"\($0.value)\"".utf8) } ?? []
        }
    }

    /// One line of a gauge with a count as its value; the same text as ``sample(_:suffix:labels:extra:value:)``.
    mutating func gauge(_ lines: GaugeLines, labels: [UInt8], count: Int) {
        bytes.append(contentsOf: lines.name)
        if !labels.isEmpty || !lines.extra.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            bytes.append(contentsOf: labels)
            if !lines.extra.isEmpty {
                if !labels.isEmpty { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: lines.extra)
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        if count < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimal(UInt64(count.magnitude))
        bytes.append(UInt8(ascii: "\n"))
        lineEnded()
    }

    /// Appends the decimal digits of `value` (`String(value)` without the string).
    private mutating func appendDecimal(_ value: UInt64) {
        // Most gauge values are a single digit (no change pending is 0).
        if value < 10 { return bytes.append(UInt8(ascii: "0") + UInt8(value)) }
        let start = bytes.count
        var rest = value
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
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
