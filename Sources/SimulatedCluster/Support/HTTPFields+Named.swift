import Hummingbird

extension HTTPFields {
    /// Sets a header whose name is given as a string (for names HTTPTypes has no constant for, such as
    /// `X-API-VERSION` or `Audit-Id`). A name that is not a valid HTTP token is ignored.
    mutating func set(named name: String, to value: String) {
        guard let fieldName = HTTPFields.Element.Name(name) else { return }
        self[fieldName] = value
    }

    /// The value of the header named `name`, matched case-insensitively.
    func value(named name: String) -> String? {
        guard let fieldName = HTTPFields.Element.Name(name) else { return nil }
        return self[fieldName]
    }
}
