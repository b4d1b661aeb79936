/// Text for the status page: HTML escaping and the human formats of durations, times and numbers.
///
/// Hand-written rather than Foundation formatters: the page is rendered per request, for hundreds of Services.
enum StatusPageText {
    /// `text` safe inside HTML element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
        else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A lag or delay: `350 ms`, `1.35 s`, `12.5 s`, `2 min 5 s`; `–` for nil.
    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if value < 1 { return "\(Int((value * 1000).rounded())) ms" }
        if value < 10 { return decimal(value, places: 2) + " s" }
        if value < 120 { return decimal(value, places: 1) + " s" }
        let whole = Int(value.rounded())
        return whole % 60 == 0 ? "\(whole / 60) min" : "\(whole / 60) min \(whole % 60) s"
    }

    /// A window or interval: `24 h`, `90 min`, `30 s`, `100 ms`.
    static func span(_ value: Double) -> String {
        if value >= 3600, value.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(value / 3600)) h" }
        if value >= 60, value.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(value / 60)) min" }
        return seconds(value)
    }

    /// A bucket bound on the chart axis: `50ms`, `1s`, `7.5s`, `2m`.
    static func bound(_ value: Double) -> String {
        if !value.isFinite { return "∞" }
        if value == 0 { return "0" }
        if value < 1 { return "\(Int((value * 1000).rounded()))ms" }
        if value >= 60, value.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(value / 60))m" }
        return decimal(value, places: 2) + "s"
    }

    /// How long ago `time` was, seen from `now`: `just now`, `4 s ago`, `3 min ago`, `2 h ago`, `5 d ago`.
    static func ago(_ time: Timestamp?, now: Timestamp) -> String {
        guard let time else { return "never" }
        let age = now - time
        if age < 1 { return "just now" }
        if age < 60 { return "\(Int(age)) s ago" }
        if age < 3600 { return "\(Int(age / 60)) min ago" }
        if age < 86_400 { return "\(Int(age / 3600)) h ago" }
        return "\(Int(age / 86_400)) d ago"
    }

    /// `2024-05-01 12:34:56 UTC`.
    static func utc(_ time: Timestamp) -> String {
        let whole = Int(time.rounded(.down))
        var days = whole / 86_400
        var secondOfDay = whole % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(padded(month))-\(padded(day)) "
            + "\(padded(secondOfDay / 3600)):\(padded(secondOfDay / 60 % 60)):\(padded(secondOfDay % 60)) UTC"
    }

    /// A quantile as a percentile name: 0.99 → `p99`, 0.995 → `p99.5`.
    static func percentile(_ quantile: Double) -> String {
        "p" + decimal(quantile * 100, places: 2)
    }

    /// `value` with at most `places` decimals, trailing zeros dropped: `1.3`, `2`, `0.05`.
    static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 1e15 else { return String(value) }
        let units = Int(scaled)
        let whole = units / Int(scale)
        var fraction = units % Int(scale)
        var digits = places
        while digits > 0, fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let sign = value < 0 && units > 0 ? "-" : ""
        guard digits > 0 else { return "\(sign)\(whole)" }
        let fractionText = String(fraction)
        return "\(sign)\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    private static func padded(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
