/// A page of an EndpointSlice list (decoded with ``JSONReader``: `EndpointSliceList.decode(_:)`).
public struct EndpointSliceList: Sendable {
    /// The list's `metadata`: where the list stands and how to fetch the next page.
    public struct Metadata: Sendable {
        /// The resourceVersion the list was read at, where a watch resumes.
        public var resourceVersion: String?
        /// The token for the next page; absent or empty on the last page.
        public var `continue`: String?
    }

    public var metadata: Metadata
    /// The slices of this page (a `null` array is none).
    public var items: [EndpointSlice]

    init(metadata: Metadata, items: [EndpointSlice]) {
        self.metadata = metadata
        self.items = items
    }
}
