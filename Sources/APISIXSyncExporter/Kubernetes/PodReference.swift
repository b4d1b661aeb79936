/// The pod behind an endpoint (its `targetRef`), as ``EndpointSliceIndex`` keeps it: name and uid.
public struct PodReference: Sendable, Equatable {
    public var name: String?
    /// Kept as an ``ObjectUID`` (16 bytes for a UUID): the index holds one per endpoint.
    var objectUID: ObjectUID?

    /// The pod named by a `targetRef`; nil when the reference is to another kind of object.
    init?(_ reference: EndpointSlice.TargetReference) {
        guard (reference.kind ?? "Pod") == "Pod" else { return nil }
        name = reference.name
        objectUID = reference.objectUID
    }

    public var uid: String? { objectUID?.text }
}
