/// The Admin API envelope a response used, detected per response.
///
/// - v3 (APISIX ≥ 3.0 with the default `admin_api_version: v3`): list `{"list":[…],"total":N}`, single
///   `{"key","value","createdIndex","modifiedIndex"}`.
/// - v2 (APISIX 2.x, or 3.x with `admin_api_version: v2`): list
///   `{"action":"get","count":N,"node":{"dir":true,"nodes":[…]}}`, single `{"action":"get","node":{"key","value"}}`
///   (2.x strips `createdIndex`/`modifiedIndex` from single answers).
public enum AdminAPIEnvelope: String, Sendable, Equatable {
    case v2
    case v3
}

/// The items of an Admin API list and the envelope they came in.
public struct AdminAPIListing<Item: Sendable>: Sendable {
    /// The decoded items, in response order.
    public var items: [Item]
    /// The envelope the response used.
    public var envelope: AdminAPIEnvelope

    public init(items: [Item], envelope: AdminAPIEnvelope) {
        self.items = items
        self.envelope = envelope
    }
}

extension AdminAPIListing: Equatable where Item: Equatable {}
