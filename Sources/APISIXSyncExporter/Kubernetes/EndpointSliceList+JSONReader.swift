import Foundation

extension EndpointSliceList {
    /// Decodes a list page: `metadata` is required, `items` may be `null`.
    static func decode(_ data: Data) throws(JSONReader.Failure) -> EndpointSliceList {
        try JSONReader.read(data) { reader throws(JSONReader.Failure) in
            var metadata: Metadata?
            var items: [EndpointSlice] = []
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                switch key {
                case "metadata":
                    var read = Metadata()
                    try reader.readObject { reader, key throws(JSONReader.Failure) in
                        switch key {
                        case "resourceVersion": read.resourceVersion = try reader.readOptionalText()
                        case "continue": read.continue = try reader.readOptionalText()
                        default: try reader.skipValue()
                        }
                    }
                    metadata = read
                case "items":
                    items = []
                    try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                        items.append(try EndpointSlice(reading: &reader))
                    }
                default: try reader.skipValue()
                }
            }
            try reader.expectEnd()
            guard let metadata else { throw reader.failure("list without metadata") }
            return EndpointSliceList(metadata: metadata, items: items)
        }
    }
}
