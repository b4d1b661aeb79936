import NIOCore

/// One scrape's exposition, rendered chunk by chunk as it is read.
///
/// `/metrics` writes each chunk as soon as it is rendered, so the whole text (8 MB at 10,000 Services) is never held
/// at once: holding it made each scrape the exporter's memory peak. Each step renders a bounded part (a family's
/// header, or up to ``batch`` of its series), and a chunk is handed out once it holds `chunkSize` bytes of whole lines.
/// Iterating again renders again, from the same copied state.
public struct Exposition: Sequence, IteratorProtocol, Sendable {
    /// Renders one bounded part of the exposition.
    typealias Step = @Sendable (inout PrometheusTextWriter) -> Void
    /// Series rendered by one step.
    static let batch = 256
    /// The size a chunk fills to before it is handed out: 256 KiB.
    public static let defaultChunkSize = 1 << 18

    private let steps: [Step]
    private var position = 0
    /// Steps not rendered yet (tests).
    var stepsLeft: Int { steps.count - position }
    private var writer: PrometheusTextWriter

    init(steps: [Step], chunkSize: Int) {
        self.steps = steps
        writer = PrometheusTextWriter(chunkSize: chunkSize)
    }

    /// The next chunk of whole lines (at least `chunkSize` bytes but for the last one); nil at the end.
    public mutating func next() -> ByteBuffer? {
        while true {
            if let chunk = writer.takeChunk() { return chunk }
            guard position < steps.count else { return writer.takeRest() }
            steps[position](&writer)
            position += 1
        }
    }

    /// Collects the steps of an exposition in order.
    struct Builder {
        private(set) var steps: [Step] = []

        mutating func add(_ step: @escaping Step) { steps.append(step) }

        /// Renders `rows` in steps of at most ``Exposition/batch`` rows each.
        mutating func add<Row: Sendable>(
            rows: [Row],
            _ write: @escaping @Sendable (Row, inout PrometheusTextWriter) -> Void
        ) {
            add(count: rows.count) { index, writer in write(rows[index], &writer) }
        }

        /// Renders items `0..<count` in steps of at most ``Exposition/batch`` items each: `write` reads item `index`
        /// where it is (a row copied out of its array retained and released each of its strings).
        mutating func add(count: Int, _ write: @escaping @Sendable (Int, inout PrometheusTextWriter) -> Void) {
            for start in stride(from: 0, to: count, by: Exposition.batch) {
                let range = start..<Swift.min(start + Exposition.batch, count)
                steps.append { writer in
                    for index in range { write(index, &writer) }
                }
            }
        }
    }
}
