/// `min_version` / `max_version`.
public enum TLSVersionName: String, Sendable, CaseIterable, Comparable {
    case tls12 = "TLS12"
    case tls13 = "TLS13"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .tls12 && rhs == .tls13 }
}
