import Foundation

/// A strict JSON (RFC 8259) pull reader over UTF-8 bytes that builds no document tree.
///
/// Admin API lists hold tens of thousands of objects of which the exporter needs a few fields; `JSONDecoder` first
/// builds a map of the whole document and then allocates for every value. This reader visits values in order,
/// skips (while still validating) what the caller does not ask for, and reports the byte range of a value so a caller
/// can decide later whether to decode it. It never traps on input: every malformed document is a `Failure`.
struct JSONReader {
    /// The type of the next value.
    enum Kind: Equatable {
        case object, array, string, number, bool, null
    }

    /// Why a document was rejected, with the byte offset where reading stopped.
    struct Failure: Error, Equatable, CustomStringConvertible {
        let message: String
        let offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    /// Nesting deeper than this is rejected rather than risking the stack.
    static let maximumDepth = 256

    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Runs `body` with a reader over `data`'s bytes.
    static func read<Bytes: ContiguousBytes, T>(
        _ data: Bytes,
        _ body: (inout JSONReader) throws(Failure) -> T
    ) throws(Failure) -> T {
        let result: Result<T, Failure> = data.withUnsafeBytes { buffer -> Result<T, Failure> in
            var reader = JSONReader(buffer)
            do throws(Failure) {
                return Result<T, Failure>.success(try body(&reader))
            } catch {
                return Result<T, Failure>.failure(error)
            }
        }
        return try result.get()
    }

    func failure(_ message: String) -> Failure { Failure(message: message, offset: offset) }

    // MARK: Looking ahead

    /// Skips whitespace; the next byte, or nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        // Compact JSON, the common case: the next byte is no whitespace.
        if offset < bytes.count, bytes[offset] > 0x20 { return bytes[offset] }
        return peekPastWhitespace()
    }

    private mutating func peekPastWhitespace() -> UInt8? {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return bytes[offset]
            }
        }
        return nil
    }

    /// The kind of the next value.
    mutating func kind() throws(Failure) -> Kind {
        guard let next = peek() else { throw failure("unexpected end of document") }
        switch next {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw failure("unexpected character")
        }
    }

    /// Fails unless only whitespace follows.
    mutating func expectEnd() throws(Failure) {
        if peek() != nil { throw failure("unexpected data after the document") }
    }

    // MARK: Containers

    /// Reads an object, calling `body` with each key; `body` must read or skip the value.
    mutating func readObject(_ body: (inout JSONReader, JSONKey) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"), "expected an object")
        try enter()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try readKey()
            try expect(UInt8(ascii: ":"), "expected ':'")
            _ = peek()
            let before = offset
            try body(&self, key)
            if offset == before { try skipValue() }
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                depth -= 1
                return
            case nil: throw failure("unexpected end of document")
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    /// Reads an array, calling `body` for each element; `body` must read or skip it.
    mutating func readArray(_ body: (inout JSONReader) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "["), "expected an array")
        try enter()
        if peek() == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return
        }
        while true {
            _ = peek()
            let before = offset
            try body(&self)
            if offset == before { try skipValue() }
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                depth -= 1
                return
            case nil: throw failure("unexpected end of document")
            default: throw failure("expected ',' or ']'")
            }
        }
    }

    /// Skips one value of any kind, validating it; returns the byte range it occupied.
    @discardableResult
    mutating func skipValue() throws(Failure) -> Range<Int> {
        let kind = try kind()
        let start = offset
        switch kind {
        case .object: try skipObject()
        case .array: try readArray { reader throws(Failure) in try reader.skipValue() }
        case .string: try skipString()
        case .number: try skipNumber()
        case .bool: _ = try readBool()
        case .null: try expectLiteral("null")
        }
        return start..<offset
    }

    /// Skips one object or array by its structure alone and returns its byte range: strings (with their escapes) and
    /// matching brackets are followed, scalars and UTF-8 are not validated.
    ///
    /// For values that are either decoded later from the range, strictly, or not needed because an identical
    /// revision was decoded before (an etcd item whose `modifiedIndex` did not change). On a list of 10,000
    /// upstreams it costs about half of ``skipValue()`` (`docs/benchmarks.md`).
    mutating func skipContainer() throws(Failure) -> Range<Int> {
        guard let open = peek(), open == UInt8(ascii: "{") || open == UInt8(ascii: "[") else {
            throw failure("expected an object or an array")
        }
        let start = offset
        let bytes = bytes
        let limit = Self.maximumDepth - depth
        // The end offset, or why there is none.
        let end = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maximumDepth) {
            closers -> Result<Int, Failure> in
            var depth = 0
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard depth < limit else { return .failure(Failure(message: "nesting too deep", offset: index)) }
                    closers[depth] = byte + 2  // '{' + 2 == '}', '[' + 2 == ']'
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard depth > 0, closers[depth - 1] == byte else {
                        return .failure(Failure(message: "unbalanced brackets", offset: index))
                    }
                    depth -= 1
                    if depth == 0 { return .success(index + 1) }
                case UInt8(ascii: "\""):
                    index += 1
                    while true {
                        index = JSONReader.stringStop(in: bytes, from: index)
                        guard index < bytes.count, bytes[index] != UInt8(ascii: "\"") else { break }
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1  // an escape, or a control character
                    }
                default: break
                }
                index += 1
            }
            return .failure(Failure(message: "unexpected end of document", offset: bytes.count))
        }
        offset = try end.get()
        return start..<offset
    }

    /// ``readObject(_:)`` skipping every member: keys are validated but not built.
    private mutating func skipObject() throws(Failure) {
        try expect(UInt8(ascii: "{"), "expected an object")
        try enter()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a key") }
            try skipString()
            try expect(UInt8(ascii: ":"), "expected ':'")
            try skipValue()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                depth -= 1
                return
            case nil: throw failure("unexpected end of document")
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    // MARK: Scalars

    /// Consumes `null` if it is next; true if it was.
    mutating func readNull() throws(Failure) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    mutating func readBool() throws(Failure) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return false
        default: throw failure("expected true or false")
        }
    }

    /// Reads a key: plain ASCII (nearly every key) is left as bytes, anything else decoded and validated now.
    private mutating func readKey() throws(Failure) -> JSONKey {
        let (raw, start, plain, ascii) = try scanString()
        if plain && ascii { return JSONKey(raw: raw, decoded: nil) }
        return JSONKey(raw: raw, decoded: plain ? try Self.text(raw, at: start) : try Self.unescape(raw, at: start))
    }

    /// Reads a string value.
    mutating func readString() throws(Failure) -> String {
        let (raw, start, plain, ascii) = try scanString()
        if plain && ascii { return String(decoding: raw, as: UTF8.self) }
        return plain ? try Self.text(raw, at: start) : try Self.unescape(raw, at: start)
    }

    /// Reads an integer: a number token without fraction or exponent, or one whose value is a whole number.
    mutating func readInt() throws(Failure) -> Int {
        let start = offset
        let token = try numberToken()
        if let value = Int(token) { return value }
        guard let double = Double(token), double.rounded() == double, abs(double) < 9.0e15 else {
            throw Failure(message: "expected an integer", offset: start)
        }
        return Int(double)
    }

    /// Reads a number.
    mutating func readDouble() throws(Failure) -> Double {
        let start = offset
        guard let value = Double(try numberToken()) else { throw Failure(message: "bad number", offset: start) }
        return value
    }

    // MARK: Internals

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("nesting too deep") }
    }

    @inline(__always)
    private mutating func expect(_ byte: UInt8, _ message: StaticString) throws(Failure) {
        guard peek() == byte else { throw unexpected(message) }
        offset += 1
    }

    private mutating func unexpected(_ message: StaticString) -> Failure {
        failure(peek() == nil ? "unexpected end of document" : "\(message)")
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw failure("unexpected end of document") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[offset + $0] == expected[$0] }
        }
        guard matches else { throw failure("unexpected literal") }
        offset += count
    }

    /// Validates a string without building it (ASCII, the common case, needs no further look).
    private mutating func skipString() throws(Failure) {
        let (raw, start, plain, ascii) = try scanString()
        if !plain {
            _ = try Self.unescape(raw, at: start)
        } else if !ascii {
            _ = try Self.text(raw, at: start)
        }
    }

    /// Consumes a string token; its body between the quotes, where that starts, and whether it has no escapes.
    mutating func scanString() throws(Failure) -> (raw: UnsafeRawBufferPointer, start: Int, plain: Bool, ascii: Bool) {
        try expect(UInt8(ascii: "\""), "expected a string")
        let start = offset
        var plain = true
        var seen: UInt64 = 0
        while true {
            offset = Self.stringStop(in: bytes, from: offset, seen: &seen)
            guard offset < bytes.count else { break }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                return (raw, start, plain, ByteWord.isASCII(seen))
            }
            if byte == UInt8(ascii: "\\") {
                plain = false
                offset += 2
                continue
            }
            throw failure("control character in string")
        }
        offset = bytes.count
        throw failure("unterminated string")
    }

    /// The offset of the first byte at or after `start` that ends or interrupts a string body (a quote, a backslash
    /// or a control character), or the end of `bytes`. Eight bytes at a time while none of them is one.
    static func stringStop(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var seen: UInt64 = 0
        return stringStop(in: bytes, from: start, seen: &seen)
    }

    /// ``stringStop(in:from:)``, also OR-ing every byte passed over into `seen` (``ByteWord/isASCII(_:)`` of it says
    /// whether they were all ASCII).
    static func stringStop(in bytes: UnsafeRawBufferPointer, from start: Int, seen: inout UInt64) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if ByteWord.hasByte(word, equalTo: UInt8(ascii: "\""))
                    || ByteWord.hasByte(word, equalTo: UInt8(ascii: "\\"))
                    || ByteWord.hasByte(word, below: 0x20)
                {
                    break
                }
                seen |= word
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            seen |= UInt64(byte)
            index += 1
        }
        return index
    }

    /// The text of a number token, checked against the JSON grammar.
    private mutating func numberToken() throws(Failure) -> Substring {
        _ = peek()
        let start = offset
        try skipNumber()
        return Substring(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    /// Consumes a number token, checked against the JSON grammar, without building its text.
    private mutating func skipNumber() throws(Failure) {
        _ = peek()
        let start = offset
        func digit(_ index: Int) -> Bool {
            index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard digit(offset) else { throw failure("bad number") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            while digit(offset) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digit(offset) else { throw failure("bad number") }
            while digit(offset) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard digit(offset) else { throw failure("bad number") }
            while digit(offset) { offset += 1 }
        }
        guard offset - start <= 64 else { throw Failure(message: "number too long", offset: start) }
    }

    /// Off the hot path: a string's scan already says whether it is ASCII (``scanString()``).
    static func isASCII(_ raw: UnsafeRawBufferPointer) -> Bool {
        for byte in raw where byte >= 0x80 { return false }
        return true
    }

    /// The text of an unescaped string body; ASCII (nearly every string an API sends) without generic validation.
    static func text(_ raw: UnsafeRawBufferPointer, at start: Int) throws(Failure) -> String {
        let units = raw.assumingMemoryBound(to: UInt8.self)
        if isASCII(raw) { return String(decoding: units, as: UTF8.self) }
        guard let text = String(validating: units, as: UTF8.self) else {
            throw Failure(message: "string is not valid UTF-8", offset: start)
        }
        return text
    }

    /// Decodes a string body with escapes (`raw` excludes the quotes).
    private static func unescape(_ raw: UnsafeRawBufferPointer, at start: Int) throws(Failure) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) throws(Failure) -> UInt32 {
            guard at + 4 <= raw.count else { throw Failure(message: "bad \\u escape", offset: start + at) }
            var value: UInt32 = 0
            for byte in raw[at..<(at + 4)] {
                let nibble: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
                default: throw Failure(message: "bad \\u escape", offset: start + at)
                }
                value = value << 4 | UInt32(nibble)
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            guard index + 1 < raw.count else { throw Failure(message: "bad escape", offset: start + index) }
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(code) {
                    guard index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u")
                    else { throw Failure(message: "unpaired surrogate", offset: start + index) }
                    let low = try hex4(index + 2)
                    guard (0xDC00..<0xE000).contains(low) else {
                        throw Failure(message: "unpaired surrogate", offset: start + index)
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let scalar = Unicode.Scalar(code) else {
                    throw Failure(message: "unpaired surrogate", offset: start + index)
                }
                utf8.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
            default: throw Failure(message: "bad escape", offset: start + index - 2)
            }
        }
        let result: Result<String, Failure> = utf8.withUnsafeBytes { bytes in
            do throws(Failure) {
                return .success(try text(bytes, at: start))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
