import Hummingbird

/// The decoded query parameters of a request. When a parameter is repeated, the last value wins.
struct RequestQuery: Sendable, Equatable {
    /// Parameter values keyed by name.
    let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            values[String(key)] = String(value)
        }
        self.values = values
    }

    subscript(_ name: String) -> String? {
        self.values[name]
    }

    /// Whether the parameter is present and set to `true` or `1` (the spellings Go's `strconv.ParseBool`
    /// accepts as true, in the forms clients send).
    func isTrue(_ name: String) -> Bool {
        guard let value = self.values[name] else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(value)
    }
}
