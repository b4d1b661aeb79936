import Foundation
import NIOCore

/// Parsers of flag values shared by the exporter's and the demo's flags; each error names the flag.
public enum FlagValue {
    /// A Go-style duration in seconds, at least `minimum`.
    public static func duration(_ flag: String, _ text: String, minimum: Double) throws(SettingsError) -> Double {
        let seconds: Double
        do {
            seconds = try GoDuration.parseSeconds(text)
        } catch {
            throw SettingsError(flag: flag, "\"\(text)\" is not a duration like 100ms, 5s or 1h30m")
        }
        guard seconds >= minimum else {
            throw SettingsError(flag: flag, "\(text) is below the minimum \(GoDuration.format(seconds: minimum))")
        }
        return seconds
    }

    /// `true` or `false`.
    public static func bool(_ flag: String, _ text: String) throws(SettingsError) -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw SettingsError(flag: flag, "\"\(text)\" must be true or false")
        }
    }

    /// How a default duration appears in a flag (and its help): `5s`, `100ms`, `10m`, `24h`.
    public static func durationText(_ seconds: Double) -> String {
        var text = GoDuration.format(seconds: seconds)
        if text.hasSuffix("m0s") { text.removeLast(2) }
        if text.hasSuffix("h0m") { text.removeLast(2) }
        return text
    }

    /// A Kubernetes namespace name (RFC 1123 DNS label).
    public static func isDNSLabel(_ text: String) -> Bool {
        guard (1...63).contains(text.count), let first = text.first, let last = text.last,
            first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// A host name (RFC 1123): dot-separated DNS labels in any case, at most 253 characters.
    public static func isDNSName(_ text: String) -> Bool {
        guard (1...253).contains(text.count) else { return false }
        return text.lowercased().split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
            isDNSLabel(String($0))
        }
    }

    /// An IPv4 or IPv6 address literal (an IPv6 one with or without brackets).
    public static func isIPAddress(_ text: String) -> Bool {
        (try? SocketAddress(ipAddress: text.unbracketedHost, port: 0)) != nil
    }

    /// The text of a secret file, or an error naming `flag` when it cannot be read.
    static func readSecretFile(_ flag: String, _ path: String) throws(SettingsError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw SettingsError(flag: flag, "cannot read \(path)")
        }
        return text
    }
}
