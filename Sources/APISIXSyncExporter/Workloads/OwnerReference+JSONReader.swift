extension OwnerReference {
    /// Reads `metadata.ownerReferences` (an array or `null`) and returns the controlling owner (`controller: true`),
    /// else the first one, else nil. `kind` and `name` are required in every entry.
    static func readController(_ reader: inout JSONReader) throws(JSONReader.Failure) -> OwnerReference? {
        var first: OwnerReference?
        var controller: OwnerReference?
        try reader.readOptionalArray { reader throws(JSONReader.Failure) in
            var kind: String?
            var name: String?
            var uid: String?
            var isController = false
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                switch key {
                case "kind": kind = try reader.readRequiredText("kind")
                case "name": name = try reader.readRequiredText("name")
                case "uid": uid = try reader.readOptionalText()
                case "controller": isController = try reader.readOptionalBool() ?? false
                default: try reader.skipValue()
                }
            }
            guard let kind, let name else { throw reader.failure("owner reference without kind or name") }
            let owner = OwnerReference(kind: kind, name: name, uid: uid)
            if first == nil { first = owner }
            if isController, controller == nil { controller = owner }
        }
        return controller ?? first
    }
}
