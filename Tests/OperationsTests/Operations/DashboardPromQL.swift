/// A small PromQL scanner for the dashboard-linter rules that need to see inside expressions (selectors, their
/// matchers, range selectors of rate functions). Parsing itself is checked with the real promtool.
struct DashboardPromQL {
    struct Matcher: Equatable {
        let label: String
        let op: String
        let value: String
    }

    /// A series selector: `metric{matchers}`, `metric` or `{matchers}`.
    struct Selector {
        let metric: String?
        let matchers: [Matcher]
        /// The call the selector is the direct argument of (`rate` in `rate(x[5m])`), if any.
        let enclosingFunction: String?
    }

    /// A call of `rate`, `irate` or `increase` and the text of its argument.
    struct RateCall {
        let function: String
        let argument: String
    }

    private(set) var selectors: [Selector] = []
    private(set) var rateCalls: [RateCall] = []

    private static let keywords: Set<String> = [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
        "inf", "nan", "atan2",
        // Aggregation operators, which may be followed by `by (...)` instead of their parenthesis.
        "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
    ]
    private static let groupingKeywords: Set<String> = [
        "by", "without", "on", "ignoring", "group_left", "group_right",
    ]
    static let rateFunctions: Set<String> = ["rate", "irate", "increase"]

    private let chars: [Character]

    init(_ expression: String) {
        chars = Array(expression)
        scan()
    }

    private mutating func scan() {
        var index = 0
        var calls: [String?] = []  // the function each open parenthesis belongs to
        var pendingGrouping = false
        while index < chars.count {
            let char = chars[index]
            if char == "\"" || char == "'" || char == "`" {
                index = skipString(from: index)
            } else if char == "[" {
                index = (chars[index...].firstIndex(of: "]") ?? chars.count - 1) + 1
            } else if char == "$" {
                index += 1
                while index < chars.count,
                    chars[index].isLetter || chars[index].isNumber || "_{}".contains(chars[index])
                {
                    index += 1
                }
            } else if char.isNumber || (char == "." && index + 1 < chars.count && chars[index + 1].isNumber) {
                while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "." {
                    index += 1
                }
            } else if char.isLetter || char == "_" || char == ":" {
                let start = index
                while index < chars.count, chars[index].isLetter || chars[index].isNumber || "_:".contains(chars[index])
                {
                    index += 1
                }
                let word = String(chars[start..<index])
                let next = skipSpaces(from: index)
                if next < chars.count, chars[next] == "{" {
                    let (matchers, end) = parseMatchers(from: next)
                    selectors.append(Selector(metric: word, matchers: matchers, enclosingFunction: calls.last ?? nil))
                    index = end
                } else if next < chars.count, chars[next] == "(" {
                    if Self.groupingKeywords.contains(word) {
                        pendingGrouping = true
                    } else if Self.rateFunctions.contains(word) {
                        let close = matchingParenthesis(from: next)
                        rateCalls.append(RateCall(function: word, argument: String(chars[(next + 1)..<close])))
                    }
                    if pendingGrouping {
                        index = next  // the label list, skipped below
                    } else {
                        calls.append(word)
                        index = next + 1
                    }
                } else if !Self.keywords.contains(word.lowercased()) {
                    selectors.append(Selector(metric: word, matchers: [], enclosingFunction: calls.last ?? nil))
                }
            } else if char == "{" {
                let (matchers, end) = parseMatchers(from: index)
                selectors.append(Selector(metric: nil, matchers: matchers, enclosingFunction: calls.last ?? nil))
                index = end
            } else if char == "(" {
                if pendingGrouping {
                    // A label list: skip it whole.
                    index = matchingParenthesis(from: index) + 1
                    pendingGrouping = false
                    continue
                }
                calls.append(nil)
                index += 1
            } else if char == ")" {
                _ = calls.popLast()
                index += 1
            } else {
                index += 1
            }
        }
    }

    private func skipSpaces(from start: Int) -> Int {
        var index = start
        while index < chars.count, chars[index].isWhitespace { index += 1 }
        return index
    }

    /// The index after the string literal starting at `start`.
    private func skipString(from start: Int) -> Int {
        let quote = chars[start]
        var index = start + 1
        while index < chars.count, chars[index] != quote {
            index += chars[index] == "\\" && quote != "`" ? 2 : 1
        }
        return index + 1
    }

    private func matchingParenthesis(from open: Int) -> Int {
        var depth = 0
        var index = open
        while index < chars.count {
            switch chars[index] {
            case "\"", "'", "`":
                index = skipString(from: index)
                continue
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return chars.count
    }

    /// Parses `{label op "value", ...}` starting at the `{`; returns the matchers and the index after the `}`.
    private func parseMatchers(from open: Int) -> ([Matcher], Int) {
        var matchers: [Matcher] = []
        var index = open + 1
        while index < chars.count {
            index = skipSpaces(from: index)
            guard index < chars.count else { break }
            if chars[index] == "}" { return (matchers, index + 1) }
            if chars[index] == "," {
                index += 1
                continue
            }
            let labelStart = index
            while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" {
                index += 1
            }
            let label = String(chars[labelStart..<index])
            index = skipSpaces(from: index)
            let opStart = index
            while index < chars.count, "=!~".contains(chars[index]) { index += 1 }
            let op = String(chars[opStart..<index])
            index = skipSpaces(from: index)
            guard index < chars.count, "\"'`".contains(chars[index]) else { break }
            let end = skipString(from: index)
            let value = String(chars[(index + 1)..<max(index + 1, end - 1)])
            matchers.append(Matcher(label: label, op: op, value: value))
            index = end
        }
        return (matchers, chars.count)
    }
}
