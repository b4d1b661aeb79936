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
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[pending.startIndex..<newline]
            pending.removeSubrange(pending.startIndex...newline)
            if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { lines.append(Data(line)) }
        }
        if pending.count > maximumLineLength {
            throw SourceFailure(.tooLarge, "watch event longer than \(maximumLineLength) bytes")
        }
        return lines
    }
}
