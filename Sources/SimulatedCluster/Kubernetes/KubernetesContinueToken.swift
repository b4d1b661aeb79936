import Foundation

/// The continue token of a paginated list, in the API server's format: base64url (no padding) of
/// `{"v":"meta.k8s.io/v1","rv":<snapshot resource version>,"start":"<next key>"}`.
///
/// `rv` -1 marks an "inconsistent continue", which reads the remaining items from the current state; the server
/// hands such a token out in the 410 response to an expired token.
struct KubernetesContinueToken: Sendable, Equatable {
    /// The resource version of the snapshot the list reads, or -1 for the current state.
    let resourceVersion: Int
    /// The key to continue at (inclusive): the last returned key followed by a NUL character.
    let startKey: String

    init(resourceVersion: Int, startKey: String) {
        self.resourceVersion = resourceVersion
        self.startKey = startKey
    }

    /// A token that continues after `lastKey` in the snapshot at `resourceVersion`.
    init(resourceVersion: Int, after lastKey: String) {
        self.init(resourceVersion: resourceVersion, startKey: lastKey + "\u{0}")
    }

    /// Decodes `token`.
    ///
    /// - Throws: ``KubernetesStatus`` (400 BadRequest, `invalid continue token: …`) for a malformed token.
    init(decoding token: String) throws(KubernetesStatus) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let object = try? JSONSerialization.jsonObject(with: data),
            let fields = object as? [String: Any]
        else {
            throw Self.invalid("continue key is not valid")
        }
        guard fields["v"] as? String == "meta.k8s.io/v1", let resourceVersion = fields["rv"] as? Int else {
            throw Self.invalid(
                "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
            )
        }
        guard let startKey = fields["start"] as? String, !startKey.isEmpty else {
            throw Self.invalid("continue key is not valid: encoded start key empty")
        }
        guard resourceVersion != 0 else {
            throw KubernetesStatus.badRequest("0 continue resource version is not allowed when using continue")
        }
        self.init(resourceVersion: resourceVersion, startKey: startKey)
    }

    /// The opaque token string.
    var encoded: String {
        let json = JSONValue.object([
            ("v", .string("meta.k8s.io/v1")),
            ("rv", .int(self.resourceVersion)),
            ("start", .string(self.startKey)),
        ])
        return Data(json.serialized(escaping: .go)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func invalid(_ reason: String) -> KubernetesStatus {
        .badRequest("invalid continue token: \(reason)")
    }
}
