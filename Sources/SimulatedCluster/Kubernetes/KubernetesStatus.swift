/// A `v1` `Status` object: the body of every error the fake Kubernetes API returns, and the object of an
/// in-stream `ERROR` watch event.
struct KubernetesStatus: Error, Sendable {
    /// The HTTP status code, also written as `code`.
    let code: Int
    /// The machine-readable `reason`, e.g. `Expired`.
    let reason: String
    /// The human-readable `message`.
    let message: String
    /// The `details` object, if any.
    var details: JSONValue?
    /// `metadata.continue`, set on the 410 answer to an expired continue token.
    var listContinue: String?
    /// The value of the `Retry-After` header (and `details.retryAfterSeconds` when there are no other details).
    var retryAfterSeconds: Int?

    /// The encoded object.
    var json: JSONValue {
        var metadata: [(String, JSONValue)] = []
        if let listContinue = self.listContinue {
            metadata.append(("continue", .string(listContinue)))
        }
        return .object(omittingNil: [
            ("kind", .string("Status")),
            ("apiVersion", .string("v1")),
            ("metadata", .object(metadata)),
            ("status", .string("Failure")),
            ("message", .string(self.message)),
            ("reason", .string(self.reason)),
            ("details", self.details ?? self.retryAfterSeconds.map { .object([("retryAfterSeconds", .int($0))]) }),
            ("code", .int(self.code)),
        ])
    }

    /// 401: a missing or wrong bearer token.
    static let unauthorized = KubernetesStatus(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 404 for a path the server does not serve.
    static let pathNotFound = KubernetesStatus(
        code: 404,
        reason: "NotFound",
        message: "the server could not find the requested resource",
        details: .object([])
    )

    /// 405 for a method other than GET.
    static let methodNotAllowed = KubernetesStatus(
        code: 405,
        reason: "MethodNotAllowed",
        message: "the server does not allow this method on the requested resource",
        details: .object([])
    )

    /// 404 for an object of `resource` that does not exist, e.g. `pods "web-1" not found`.
    static func notFound(resource: KubernetesResource, name: String) -> KubernetesStatus {
        let qualified = resource.group.isEmpty ? resource.rawValue : "\(resource.rawValue).\(resource.group)"
        var details: [(String, JSONValue)] = [("name", .string(name))]
        if !resource.group.isEmpty {
            details.append(("group", .string(resource.group)))
        }
        details.append(("kind", .string(resource.rawValue)))
        return KubernetesStatus(
            code: 404,
            reason: "NotFound",
            message: "\(qualified) \"\(name)\" not found",
            details: .object(details)
        )
    }

    /// 400 with `message`.
    static func badRequest(_ message: String) -> KubernetesStatus {
        KubernetesStatus(code: 400, reason: "BadRequest", message: message)
    }

    /// 410 for a watch from a resource version older than the watch cache's history, as the cacher words it.
    static func tooOldResourceVersion(requested: Int, oldest: Int) -> KubernetesStatus {
        KubernetesStatus(
            code: 410,
            reason: "Expired",
            message: "too old resource version: \(requested) (\(oldest))"
        )
    }

    /// 410 for a continue token whose snapshot was compacted, carrying a token that continues inconsistently.
    static func expiredContinue(inconsistentContinue: String) -> KubernetesStatus {
        KubernetesStatus(
            code: 410,
            reason: "Expired",
            message: "The provided continue parameter is too old to display a consistent list result. "
                + "You can start a new list without the continue parameter, or use the continue token in this "
                + "response to retrieve the remainder of the results. Continuing with the provided token results "
                + "in an inconsistent list - objects that were created, modified, or deleted between the time "
                + "the first chunk was returned and now may show up in the list.",
            listContinue: inconsistentContinue
        )
    }

    /// 422 for invalid list options, e.g. `sendInitialEvents` without `resourceVersionMatch=NotOlderThan`.
    static func invalidListOptions(_ causes: [(field: String, detail: String)]) -> KubernetesStatus {
        let summary = causes.map { "\($0.field): Forbidden: \($0.detail)" }.joined(separator: ", ")
        return KubernetesStatus(
            code: 422,
            reason: "Invalid",
            message: "ListOptions.meta.k8s.io \"\" is invalid: " + (causes.count > 1 ? "[\(summary)]" : summary),
            details: .object([
                ("group", .string("meta.k8s.io")),
                ("kind", .string("ListOptions")),
                (
                    "causes",
                    .array(
                        causes.map { cause in
                            .object([
                                ("reason", .string("FieldValueForbidden")),
                                ("message", .string("Forbidden: \(cause.detail)")),
                                ("field", .string(cause.field)),
                            ])
                        }
                    )
                ),
            ])
        )
    }

    /// An injected failure with the reason and message the API server uses for `code`.
    static func injected(code: Int, retryAfterSeconds: Int?) -> KubernetesStatus {
        let (reason, message): (String, String)
        switch code {
        case 429: (reason, message) = ("TooManyRequests", "Too many requests, please try again later.")
        case 500: (reason, message) = ("InternalError", "Internal error occurred: simulated failure")
        case 503: (reason, message) = ("ServiceUnavailable", "The server is currently unable to handle the request")
        case 504: (reason, message) = ("Timeout", "The server was unable to return a response in the time allotted")
        case 403: (reason, message) = ("Forbidden", "simulated: access is forbidden")
        default: (reason, message) = ("InternalError", "simulated failure with HTTP status \(code)")
        }
        return KubernetesStatus(code: code, reason: reason, message: message, retryAfterSeconds: retryAfterSeconds)
    }
}
