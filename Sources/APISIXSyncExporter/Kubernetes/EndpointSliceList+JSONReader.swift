import Foundation

extension EndpointSliceList {
    /// Decodes a list page with the one list-page reader of every kind (``KubernetesObjectPage/decode(_:item:)``):
    /// `metadata` is required, `items` may be `null`.
    static func decode(_ data: Data) throws(JSONReader.Failure) -> EndpointSliceList {
        let page = try page(data)
        return EndpointSliceList(
            metadata: Metadata(resourceVersion: page.resourceVersion, continue: page.continueToken),
            items: page.items
        )
    }

    /// One list page as ``KubernetesClient/listPages(path:labelSelector:what:decode:page:)`` takes it.
    static func page(
        _ data: Data,
        targetReferences: Bool = true
    ) throws(JSONReader.Failure) -> KubernetesObjectPage<EndpointSlice> {
        try KubernetesObjectPage.decode(data) { reader throws(JSONReader.Failure) in
            try EndpointSlice(reading: &reader, targetReferences: targetReferences)
        }
    }
}
