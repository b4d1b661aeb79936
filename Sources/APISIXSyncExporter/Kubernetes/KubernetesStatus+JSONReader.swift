import Foundation

extension KubernetesStatus {
    /// Decodes a `Status` document.
    static func decode(_ data: Data) throws(JSONReader.Failure) -> KubernetesStatus {
        try JSONReader.read(data) { reader throws(JSONReader.Failure) in
            let status = try KubernetesStatus(reading: &reader)
            try reader.expectEnd()
            return status
        }
    }

    /// Reads a `Status` object, also the object of an ERROR watch event; every field is optional.
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        self.init(status: nil)
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "status": status = try reader.readOptionalText()
            case "message": message = try reader.readOptionalText()
            case "reason": reason = try reader.readOptionalText()
            case "code": code = try reader.readOptionalInteger()
            default: try reader.skipValue()
            }
        }
    }
}
