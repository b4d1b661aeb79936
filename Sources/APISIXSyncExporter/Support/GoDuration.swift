import Foundation

/// Parses and formats Go-style durations (`100ms`, `5s`, `1h30m`, `1.5s`), the syntax Prometheus tools use.
public enum GoDuration {
    /// Why a duration string was rejected.
    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        public let input: String
        public let reason: String
        public var description: String { "invalid duration \"\(input)\": \(reason)" }
    }

    private static let units: [(suffix: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
        ("d", 86_400), ("w", 604_800),
    ]

    /// Parses a non-negative duration; `0` alone is accepted, every other number needs a unit.
    public static func parse(_ input: String) throws(ParseError) -> Duration {
        let nanoseconds = try (parseSeconds(input) * 1e9).rounded()
        // `parseSeconds` allows up to 1e10 s; Int64 nanoseconds end at about 292 years (9.2e9 s).
        guard nanoseconds < Double(Int64.max) else { throw ParseError(input: input, reason: "too large") }
        return .nanoseconds(Int64(nanoseconds))
    }

    /// Parses a duration into seconds.
    public static func parseSeconds(_ input: String) throws(ParseError) -> Double {
        let text = input.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw ParseError(input: input, reason: "empty") }
        if text == "0" { return 0 }
        if text.hasPrefix("-") { throw ParseError(input: input, reason: "must not be negative") }
        var rest = Substring(text.hasPrefix("+") ? String(text.dropFirst()) : text)
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != "." else {
                throw ParseError(input: input, reason: "expected a number at \"\(rest)\"")
            }
            guard let value = Double(number) else { throw ParseError(input: input, reason: "bad number \"\(number)\"") }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard !unitText.isEmpty else {
                throw ParseError(input: input, reason: "missing unit after \"\(number)\" (use ms, s, m or h)")
            }
            guard let unit = units.first(where: { $0.suffix == unitText }) else {
                throw ParseError(input: input, reason: "unknown unit \"\(unitText)\"")
            }
            total += value * unit.seconds
            rest = rest.dropFirst(unitText.count)
        }
        guard total.isFinite, total < 1e10 else { throw ParseError(input: input, reason: "too large") }
        return total
    }

    /// Formats a duration the way Go prints it (`1h30m0s`, `100ms`, `1.5s`).
    public static func format(_ duration: Duration) -> String {
        format(seconds: duration.seconds)
    }

    /// Formats seconds the way Go prints a duration.
    public static func format(seconds: Double) -> String {
        if seconds == 0 { return "0s" }
        if seconds < 1 {
            let ms = seconds * 1000
            if ms >= 1 { return trim(ms) + "ms" }
            let us = seconds * 1e6
            if us >= 1 { return trim(us) + "µs" }
            return trim(seconds * 1e9) + "ns"
        }
        var rest = seconds
        var text = ""
        let hours = (rest / 3600).rounded(.down)
        if hours > 0 {
            text += "\(Int(hours))h"
            rest -= hours * 3600
        }
        let minutes = (rest / 60).rounded(.down)
        if hours > 0 || minutes > 0 {
            text += "\(Int(minutes))m"
            rest -= minutes * 60
        }
        return text + trim(rest) + "s"
    }

    private static func trim(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.3f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
