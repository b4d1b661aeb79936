import Foundation
import NIOHTTP1

extension SourceFailure {
    /// The longest wait a `Retry-After` header can impose; a larger value is capped (the source stays down meanwhile).
    public static let maximumRetryAfter: Double = 300

    /// Seconds from a `Retry-After` header in its delay-seconds form (RFC 9110), capped at ``maximumRetryAfter``;
    /// nil when absent or not a non-negative integer (an HTTP date, `inf`, `-1`, garbage): the normal backoff applies.
    public static func retryAfter(_ headers: HTTPHeaders) -> Double? {
        guard let text = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces),
            let seconds = UInt64(text)
        else { return nil }
        return min(Double(seconds), maximumRetryAfter)
    }

    /// A failed HTTP answer: its reason from the status, and the server's `Retry-After`.
    static func http(status: Int, headers: HTTPHeaders, _ message: String) -> SourceFailure {
        SourceFailure(reason(forStatus: status), message, retryAfter: retryAfter(headers))
    }
}
