import Foundation

/// A gateway shape read by ``JSONReader``: unknown fields are skipped, `null` is an absent field, a field of another
/// type fails the document.
protocol EtcdGatewayReadable {
    /// An empty value, every field absent.
    init()
    /// Reads the value of field `key` if it is one of this shape's; another is skipped by the caller.
    mutating func read(_ key: JSONKey, from reader: inout JSONReader) throws(JSONReader.Failure)
}

extension EtcdGatewayReadable {
    /// An object of this shape.
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var value = Self()
        try reader.readObject { reader, key throws(JSONReader.Failure) in try value.read(key, from: &reader) }
        self = value
    }

    /// A whole document of this shape.
    static func decode(_ data: Data) throws(JSONReader.Failure) -> Self {
        try JSONReader.read(data) { reader throws(JSONReader.Failure) in
            let value = try Self(reading: &reader)
            try reader.expectEnd()
            return value
        }
    }
}

extension JSONReader {
    /// An object of a gateway shape, or `null`.
    fileprivate mutating func readOptional<T: EtcdGatewayReadable>(_: T.Type) throws(Failure) -> T? {
        if try readNull() { return nil }
        return try T(reading: &self)
    }

    /// A 64-bit integer as the gateway writes it (a string), a number, or `null`.
    fileprivate mutating func readOptionalInt64() throws(Failure) -> EtcdGatewayWire.Int64Value? {
        switch try kind() {
        case .null:
            _ = try readNull()
            return nil
        case .string:
            guard let parsed = Int64(try readString()) else { throw failure("not a 64-bit integer") }
            return EtcdGatewayWire.Int64Value(value: parsed)
        case .number: return EtcdGatewayWire.Int64Value(value: Int64(try readInt()))
        default: throw failure("expected a 64-bit integer")
        }
    }

    /// An array of a gateway shape, or `null`.
    fileprivate mutating func readOptionalArray<T: EtcdGatewayReadable>(of _: T.Type) throws(Failure) -> [T]? {
        if try readNull() { return nil }
        var items: [T] = []
        try readArray { reader throws(Failure) in items.append(try T(reading: &reader)) }
        return items
    }
}

extension EtcdGatewayWire.Header: EtcdGatewayReadable {
    mutating func read(_ key: JSONKey, from reader: inout JSONReader) throws(JSONReader.Failure) {
        switch key {
        case "revision": revision = try reader.readOptionalInt64()
        default: break
        }
    }
}

extension EtcdGatewayWire.KeyValue: EtcdGatewayReadable {
    mutating func read(_ key: JSONKey, from reader: inout JSONReader) throws(JSONReader.Failure) {
        switch key {
        case "key": self.key = try reader.readOptionalText()
        case "value": value = try reader.readOptionalText()
        case "mod_revision": mod_revision = try reader.readOptionalInt64()
        default: break
        }
    }
}

extension EtcdGatewayWire.RangeResponse: EtcdGatewayReadable {
    mutating func read(_ key: JSONKey, from reader: inout JSONReader) throws(JSONReader.Failure) {
        switch key {
        case "header": header = try reader.readOptional(EtcdGatewayWire.Header.self)
        case "kvs": kvs = try reader.readOptionalArray(of: EtcdGatewayWire.KeyValue.self)
        case "more": more = try reader.readOptionalBool()
        default: break
        }
    }
}

extension EtcdGatewayWire.Event: EtcdGatewayReadable {
    mutating func read(_ key: JSONKey, from reader: inout JSONReader) throws(JSONReader.Failure) {
        switch key {
        case "type": type = try reader.readOptionalText()
        case "kv": kv = try reader.readOptional(EtcdGatewayWire.KeyValue.self)
        default: break
        }
    }
}

extension EtcdGatewayWire.WatchResult: EtcdGatewayReadable {
    mutating func read(_ key: JSONKey, from reader: inout JSONReader) throws(JSONReader.Failure) {
        switch key {
        case "header": header = try reader.readOptional(EtcdGatewayWire.Header.self)
        case "created": created = try reader.readOptionalBool()
        case "canceled": canceled = try reader.readOptionalBool()
        case "compact_revision": compact_revision = try reader.readOptionalInt64()
        case "cancel_reason": cancel_reason = try reader.readOptionalText()
        case "events": events = try reader.readOptionalArray(of: EtcdGatewayWire.Event.self)
        default: break
        }
    }
}

extension EtcdGatewayWire.WatchLine: EtcdGatewayReadable {
    mutating func read(_ key: JSONKey, from reader: inout JSONReader) throws(JSONReader.Failure) {
        switch key {
        case "result": result = try reader.readOptional(EtcdGatewayWire.WatchResult.self)
        case "error": error = try reader.readOptional(EtcdGatewayWire.StreamError.self)
        default: break
        }
    }
}

extension EtcdGatewayWire.StreamError: EtcdGatewayReadable {
    mutating func read(_ key: JSONKey, from reader: inout JSONReader) throws(JSONReader.Failure) {
        switch key {
        case "grpc_code": grpc_code = try reader.readOptionalInteger()
        case "http_code": http_code = try reader.readOptionalInteger()
        case "message": message = try reader.readOptionalText()
        default: break
        }
    }
}
