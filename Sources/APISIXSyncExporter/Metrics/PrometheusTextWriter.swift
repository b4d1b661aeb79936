import NIOCore

/// Writes the Prometheus text exposition format (version 0.0.4) into buffers of about `chunkSize` bytes.
///
/// Every family is written whole (HELP, TYPE, then its samples), so a family appears once in the output. The text is
/// cut into chunks after whole lines, which ``Exposition`` hands to the response as they fill: 8 MB of `/metrics` at
/// 10,000 Services grew one array by doubling (the old and the new storage live at once while it copies) and was then
/// copied into the response whole. Each chunk is written straight into the `ByteBuffer` the response sends.
struct PrometheusTextWriter {
    /// The text after the last full chunk.
    private var buffer: ByteBuffer
    /// Full chunks not taken yet.
    private var chunks: [ByteBuffer] = []
    let chunkSize: Int

    init(chunkSize: Int = Exposition.defaultChunkSize) {
        self.chunkSize = chunkSize
        buffer = Self.newBuffer(chunkSize)
    }

    /// A buffer for one chunk and the line that ends it (a longer line grows it).
    private static func newBuffer(_ chunkSize: Int) -> ByteBuffer {
        ByteBufferAllocator().buffer(capacity: chunkSize + 4_096)
    }

    /// The oldest full chunk, if any.
    mutating func takeChunk() -> ByteBuffer? {
        chunks.isEmpty ? nil : chunks.removeFirst()
    }

    /// The text after the last full chunk, once; nil when there is none.
    mutating func takeRest() -> ByteBuffer? {
        guard buffer.readableBytes > 0 else { return nil }
        defer { buffer = ByteBuffer() }
        return buffer
    }

    /// A line ended: a full chunk is put aside.
    private mutating func lineEnded() {
        guard buffer.readableBytes >= chunkSize else { return }
        chunks.append(buffer)
        buffer = Self.newBuffer(chunkSize)
    }

    /// The `# HELP` and `# TYPE` lines of a family.
    mutating func header(_ family: MetricFamily) {
        buffer.writeString("# HELP ")
        buffer.writeString(family.name)
        buffer.writeInteger(UInt8(ascii: " "))
        for byte in family.help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString(#"\\"#)
            case UInt8(ascii: "\n"): buffer.writeString(#"\n"#)
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeString("\n# TYPE ")
        buffer.writeString(family.name)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(family.kind.rawValue)
        buffer.writeInteger(UInt8(ascii: "\n"))
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

    /// Whether a label value has a `\`, `"` or line feed to escape.
    static func needsEscaping(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { utf8 in
            utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }
        }
    }

    /// Appends a string's UTF-8 bytes at once (a copy of contiguous storage).
    private static func appendBytes(of string: String, to bytes: inout [UInt8]) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a label value with `\`, `"` and line feeds escaped.
    private static func appendEscaped(_ value: String, to bytes: inout [UInt8]) {
        // The usual case (Kubernetes names never need escaping): the value's bytes at once.
        guard needsEscaping(value) else { return appendBytes(of: value, to: &bytes) }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            default: bytes.append(byte)
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
            buffer.writeBytes(lines.bucket)
            if !labels.isEmpty {
                buffer.writeBytes(labels)
                buffer.writeInteger(UInt8(ascii: ","))
            }
            buffer.writeBytes(bound)
            appendDecimal(index < cumulative.count ? cumulative[index] : count)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        sample(lines.name, suffix: "_sum", labels: labels, value: Self.format(sum))
        sample(lines.name, suffix: "_count", labels: labels, value: String(count))
    }

    /// What every line of one gauge family shares, as bytes prepared once per scrape: its name and an extra label
    /// pair (e.g. `change="add"`) that follows the series' own labels.
    struct GaugeLines {
        /// `name{`, then the series' labels, then `close`.
        let open: [UInt8]
        /// `,extra} ` (or `} ` without an extra pair).
        let close: [UInt8]
        /// The whole text before the value for a series without labels: `name{extra} ` or `name `.
        let bare: [UInt8]

        init(name: String, extra: (name: String, value: String)? = nil) {
            let extra = extra.map { "\($0.name)=\"\($0.value)\"" }
            open = Array("\(name){".utf8)
            close = Array("\(extra.map { ",\($0)" } ?? "")} ".utf8)
            bare = Array((extra.map { "\(name){\($0)} " } ?? "\(name) ").utf8)
        }
    }

    /// One line of a gauge with a count as its value; the same text as ``sample(_:suffix:labels:extra:value:)``.
    mutating func gauge(_ lines: GaugeLines, labels: [UInt8], count: Int) {
        if labels.isEmpty {
            buffer.writeBytes(lines.bare)
        } else {
            buffer.writeBytes(lines.open)
            buffer.writeBytes(labels)
            buffer.writeBytes(lines.close)
        }
        if count < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        appendDecimal(UInt64(count.magnitude))
        buffer.writeInteger(UInt8(ascii: "\n"))
        lineEnded()
    }

    /// What every line of one gauge family shares when its series are labelled by two plain values (a Service's
    /// namespace and name): `name{first="`, `",second="`, and `"` with the extra pair and `} `.
    struct PairGaugeLines {
        let open: [UInt8]
        let middle: [UInt8]
        let close: [UInt8]

        init(name: String, labels: (String, String), extra: (name: String, value: String)? = nil) {
            open = Array("\(name){\(labels.0)=\"".utf8)
            middle = Array("\",\(labels.1)=\"".utf8)
            close = Array("\"\(extra.map { ",\($0.name)=\"\($0.value)\"" } ?? "")} ".utf8)
        }
    }

    /// One line of a gauge whose two label values need no escaping (``needsEscaping(_:)`` is false for both), written
    /// with one reservation: the same text as ``gauge(_:labels:count:)`` with their label pairs, at a third of its
    /// cost (about 40,000 such lines per scrape at 10,000 Services).
    mutating func gauge(_ lines: PairGaugeLines, _ first: String, _ second: String, count: Int) {
        Self.write(lines, first, second, count: count, into: &buffer)
        lineEnded()
    }

    /// ``gauge(_:_:_:count:)`` on the buffer as a parameter: through `self` each line paid a dynamic exclusivity
    /// check.
    private static func write(
        _ lines: PairGaugeLines,
        _ first: String,
        _ second: String,
        count: Int,
        into buffer: inout ByteBuffer
    ) {
        var first = first
        var second = second
        first.withUTF8 { first in
            second.withUTF8 { second in
                lines.open.withUnsafeBytes { open in
                    lines.middle.withUnsafeBytes { middle in
                        lines.close.withUnsafeBytes { close in
                            let size = open.count + first.count + middle.count + second.count + close.count + 22
                            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { output in
                                guard let base = output.baseAddress else { return 0 }
                                var offset = copy(open, to: base, at: 0)
                                offset = copy(UnsafeRawBufferPointer(first), to: base, at: offset)
                                offset = copy(middle, to: base, at: offset)
                                offset = copy(UnsafeRawBufferPointer(second), to: base, at: offset)
                                offset = copy(close, to: base, at: offset)
                                if count < 0 {
                                    base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: offset, as: UInt8.self)
                                    offset += 1
                                }
                                offset += writeDecimal(UInt64(count.magnitude), into: base + offset)
                                base.storeBytes(of: UInt8(ascii: "\n"), toByteOffset: offset, as: UInt8.self)
                                return offset + 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// Copies `source` to `base + offset`; returns the offset after it.
    @inline(__always)
    private static func copy(_ source: UnsafeRawBufferPointer, to base: UnsafeMutableRawPointer, at offset: Int) -> Int
    {
        if let start = source.baseAddress { (base + offset).copyMemory(from: start, byteCount: source.count) }
        return offset + source.count
    }

    /// Writes the decimal digits of `value` at `output` (at most 20 bytes); returns how many.
    private static func writeDecimal(_ value: UInt64, into output: UnsafeMutableRawPointer) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        rest = value
        for position in (0..<digits).reversed() {
            output.storeBytes(of: UInt8(ascii: "0") + UInt8(rest % 10), toByteOffset: position, as: UInt8.self)
            rest /= 10
        }
        return digits
    }

    /// Appends the decimal digits of `value` (`String(value)` without the string).
    private mutating func appendDecimal(_ value: UInt64) {
        // Most gauge values are a single digit (no change pending is 0).
        if value < 10 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value))
            return
        }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 20) { output in
            guard let base = output.baseAddress else { return 0 }
            return Self.writeDecimal(value, into: base)
        }
    }

    /// One sample line: `name{labels,extra} value`.
    mutating func sample(
        _ name: String,
        suffix: String = "",
        labels: [UInt8],
        extra: (name: String, value: String)? = nil,
        value: String
    ) {
        writeSeries(name, suffix: suffix, labels: labels, extra: extra)
        buffer.writeString(value)
        buffer.writeInteger(UInt8(ascii: "\n"))
        lineEnded()
    }

    /// A sample line up to its value: `name{labels,extra} `.
    private mutating func writeSeries(
        _ name: String,
        suffix: String = "",
        labels: [UInt8],
        extra: (name: String, value: String)? = nil
    ) {
        buffer.writeString(name)
        buffer.writeString(suffix)
        if !labels.isEmpty || extra != nil {
            buffer.writeInteger(UInt8(ascii: "{"))
            buffer.writeBytes(labels)
            if let extra {
                if !labels.isEmpty { buffer.writeInteger(UInt8(ascii: ",")) }
                buffer.writeString(extra.name)
                buffer.writeString("=\"")
                buffer.writeString(extra.value)  // only `le` bounds: never needs escaping
                buffer.writeInteger(UInt8(ascii: "\""))
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
        buffer.writeInteger(UInt8(ascii: " "))
    }

    /// One sample line with a number as its value, the same text as ``sample(_:suffix:labels:extra:value:)`` with
    /// ``format(_:)``: an integral value's digits are written without building a `String` (the workload gauges
    /// write 40,000 such lines per scrape at 10,000 workloads).
    mutating func sample(_ name: String, labels: [UInt8], number value: Double) {
        guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
            return sample(name, labels: labels, value: Self.format(value))
        }
        writeSeries(name, labels: labels)
        let integer = Int64(value)
        if integer < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        appendDecimal(integer.magnitude)
        buffer.writeInteger(UInt8(ascii: "\n"))
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
