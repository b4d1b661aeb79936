import NIOCore
import Testing

@testable import APISIXSyncExporter

@Suite struct LineSplitterTests {
    @Test func reassemblesLinesSplitAcrossChunks() throws {
        var splitter = LineSplitter(maximumLineLength: 1024)
        #expect(try splitter.append(ByteBuffer(string: "{\"a\":")).isEmpty)
        #expect(splitter.hasPartialLine)
        let lines = try splitter.append(ByteBuffer(string: "1}\n{\"b\":2}\n{\"c\""))
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}", "{\"b\":2}"])
        let rest = try splitter.append(ByteBuffer(string: ":3}\r\n\n"))
        #expect(rest.map { String(decoding: $0, as: UTF8.self) } == ["{\"c\":3}\r"])
        #expect(!splitter.hasPartialLine)
    }

    @Test func finishReturnsAnUnterminatedLastLine() throws {
        var splitter = LineSplitter(maximumLineLength: 1024)
        _ = try splitter.append(ByteBuffer(string: "{\"a\":1}\n{\"b\":2}"))
        #expect(splitter.finish().map { String(decoding: $0, as: UTF8.self) } == "{\"b\":2}")
        #expect(splitter.finish() == nil)
    }

    @Test func refusesUnboundedLines() {
        var splitter = LineSplitter(maximumLineLength: 8)
        #expect(throws: SourceFailure.self) { try splitter.append(ByteBuffer(string: "0123456789")) }
    }
}
