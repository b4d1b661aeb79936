/// Formats durations the way the API server's printers do for the `AGE` column (Go's
/// `k8s.io/apimachinery/pkg/util/duration.HumanDuration`): `45s`, `2m5s`, `17m`, `3h4m`, `20h`, `2d3h`, `30d`,
/// `2y45d`, `9y`.
enum HumanDuration {
    /// `seconds` formatted; `<invalid>` below -1 s, `0s` for slightly negative values (clock skew).
    static func format(seconds: Double) -> String {
        guard seconds >= -1 else { return "<invalid>" }
        let seconds = Int(seconds)
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let rest = seconds % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rest = hours % 24
            return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
