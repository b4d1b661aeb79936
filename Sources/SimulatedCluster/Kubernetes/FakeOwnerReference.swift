/// An entry of `metadata.ownerReferences` written by a controller: `controller: true, blockOwnerDeletion: true`.
public struct FakeOwnerReference: Sendable, Hashable {
    /// `apiVersion`, e.g. `apps/v1`.
    public var apiVersion: String
    /// `kind`, e.g. `ReplicaSet`.
    public var kind: String
    /// `name`.
    public var name: String
    /// `uid`.
    public var uid: String

    /// Creates a reference.
    public init(apiVersion: String = "apps/v1", kind: String, name: String, uid: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
    }
}
