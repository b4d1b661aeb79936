import Foundation
import NIOCore

/// Reassembles newline-delimited JSON documents from chunks that may split them anywhere.
struct LineSplitter {
    private var pending = Data()
    let maximumLineLength: Int

    init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    /// Whether bytes of an unfinished line are buffered.
    var hasPartialLine: Bool { !pending.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") } }

    /// Returns the unterminated last line, if any, and clears the buffer.
    mutating func finish() -> Data? {
        defer { pending = Data() }
        return hasPartialLine ? Data(pending) : nil
    }

    /// Appends a chunk and returns the complete, non-empty lines it finished.
    mutating func append(_ chunk: ByteBuffer) throws(SourceFailure) -> [Data] {
        pending.append(contentsOf: chunk.readableBytesView)
        var lines: [Data] = []
        // One scan with memchr and one removal per chunk, rather than a removal per line.
        let consumed = pending.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int in
            guard let base = raw.baseAddress else { return 0 }
            var start = 0
            while start < raw.count, let found = memchr(base + start, Int32(UInt8(ascii: "\n")), raw.count - start) {
                let newline = base.distance(to: UnsafeRawPointer(found))
                let line = UnsafeRawBufferPointer(rebasing: raw[start..<newline])
                if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
                    lines.append(Data(line))
                }
                start = newline + 1
            }
            return start
        }
        if consumed == pending.count {
            pending.removeAll(keepingCapacity: true)
        } else if consumed > 0 {
            pending = Data(pending[(pending.startIndex + consumed)...])
        }
        if pending.count > maximumLineLength {
            throw SourceFailure(.tooLarge, "watch event longer than \(maximumLineLength) bytes")
        }
        return lines
    }
}
