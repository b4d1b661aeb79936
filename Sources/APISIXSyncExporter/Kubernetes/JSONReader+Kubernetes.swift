/// The scalar and array reads of the Kubernetes decoders: a required field must be there and non-null, an optional
/// one may be `null`, a value of another type fails.
extension JSONReader {
    /// A string that must be there: `null` or another type fails.
    mutating func readRequiredText(_ field: String) throws(Failure) -> String {
        guard try kind() == .string else { throw failure("\"\(field)\" is not a string") }
        return try readString()
    }

    /// A string or `null`; another type fails.
    mutating func readOptionalText() throws(Failure) -> String? {
        switch try kind() {
        case .null:
            _ = try readNull()
            return nil
        case .string: return try readString()
        default: throw failure("expected a string")
        }
    }

    /// A boolean or `null`; another type fails.
    mutating func readOptionalBool() throws(Failure) -> Bool? {
        if try readNull() { return nil }
        return try readBool()
    }

    /// An integer or `null`; another type fails.
    mutating func readOptionalInteger() throws(Failure) -> Int? {
        switch try kind() {
        case .null:
            _ = try readNull()
            return nil
        case .number: return try readInt()
        default: throw failure("expected an integer")
        }
    }

    /// An array, whose elements `body` reads, or `null` (no elements); another type fails.
    mutating func readOptionalArray(_ body: (inout JSONReader) throws(Failure) -> Void) throws(Failure) {
        if try readNull() { return }
        try readArray(body)
    }
}
