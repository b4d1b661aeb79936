import Foundation

/// A gateway shape read by ``JSONReader``: unknown fields are skipped, `null` is an absent field, a field of another
/// type fails the document.
protocol EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure)
}

extension EtcdGatewayReadable {
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

    /// An array of a gateway shape, or `null`.
    fileprivate mutating func readOptionalArray<T: EtcdGatewayReadable>(of _: T.Type) throws(Failure) -> [T]? {
        if try readNull() { return nil }
        var items: [T] = []
        try readArray { reader throws(Failure) in items.append(try T(reading: &reader)) }
        return items
    }
}

extension EtcdGatewayWire.Int64Value: EtcdGatewayReadable {
    /// A 64-bit integer as the gateway writes it (a string), or a number.
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        switch try reader.kind() {
        case .string:
            guard let parsed = Int64(try reader.readString()) else { throw reader.failure("not a 64-bit integer") }
            value = parsed
        case .number: value = Int64(try reader.readInt())
        default: throw reader.failure("expected a 64-bit integer")
        }
    }
}

extension EtcdGatewayWire.Header: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "revision": revision = try reader.readOptional(EtcdGatewayWire.Int64Value.self)
            default: _ = try reader.skipValue()
            }
        }
    }
}

extension EtcdGatewayWire.KeyValue: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "key": self.key = try reader.readOptionalText()
            case "value": value = try reader.readOptionalText()
            case "mod_revision": mod_revision = try reader.readOptional(EtcdGatewayWire.Int64Value.self)
            default: _ = try reader.skipValue()
            }
        }
    }
}

extension EtcdGatewayWire.RangeResponse: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "header": header = try reader.readOptional(EtcdGatewayWire.Header.self)
            case "kvs": kvs = try reader.readOptionalArray(of: EtcdGatewayWire.KeyValue.self)
            case "more": more = try reader.readOptionalBool()
            default: _ = try reader.skipValue()
            }
        }
    }
}

extension EtcdGatewayWire.Event: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "type": type = try reader.readOptionalText()
            case "kv": kv = try reader.readOptional(EtcdGatewayWire.KeyValue.self)
            default: _ = try reader.skipValue()
            }
        }
    }
}

extension EtcdGatewayWire.WatchResult: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "header": header = try reader.readOptional(EtcdGatewayWire.Header.self)
            case "created": created = try reader.readOptionalBool()
            case "canceled": canceled = try reader.readOptionalBool()
            case "compact_revision": compact_revision = try reader.readOptional(EtcdGatewayWire.Int64Value.self)
            case "cancel_reason": cancel_reason = try reader.readOptionalText()
            case "events": events = try reader.readOptionalArray(of: EtcdGatewayWire.Event.self)
            default: _ = try reader.skipValue()
            }
        }
    }
}

extension EtcdGatewayWire.WatchLine: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "result": result = try reader.readOptional(EtcdGatewayWire.WatchResult.self)
            case "error": error = try reader.readOptional(EtcdGatewayWire.StreamError.self)
            default: _ = try reader.skipValue()
            }
        }
    }
}

extension EtcdGatewayWire.StreamError: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "grpc_code": grpc_code = try reader.readOptionalInteger()
            case "http_code": http_code = try reader.readOptionalInteger()
            case "message": message = try reader.readOptionalText()
            default: _ = try reader.skipValue()
            }
        }
    }
}

extension EtcdGatewayWire.ErrorBody: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "error": error = try reader.readOptionalText()
            case "message": message = try reader.readOptionalText()
            case "code": code = try reader.readOptionalInteger()
            default: _ = try reader.skipValue()
            }
        }
    }
}

extension EtcdGatewayWire.AuthenticateResponse: EtcdGatewayReadable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "header": header = try reader.readOptional(EtcdGatewayWire.Header.self)
            case "token": token = try reader.readOptionalText()
            default: _ = try reader.skipValue()
            }
        }
    }
}
