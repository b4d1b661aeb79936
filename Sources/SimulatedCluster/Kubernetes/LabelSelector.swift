/// A parsed Kubernetes label selector (`labelSelector=` query parameter).
///
/// Supports the equality-based forms `k=v`, `k==v`, `k!=v`, the existence forms `k` and `!k`, and the set-based
/// forms `k in (a,b)` and `k notin (a,b)`, comma-separated. The numeric `gt`/`lt` forms are rejected.
struct LabelSelector: Sendable, Equatable {
    /// One requirement of a selector.
    enum Requirement: Sendable, Equatable {
        case exists(String)
        case doesNotExist(String)
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
    }

    /// The requirements, all of which must hold.
    let requirements: [Requirement]

    /// The selector that matches everything.
    static let everything = LabelSelector(requirements: [])

    private init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses `text`; an empty string matches everything.
    ///
    /// - Throws: ``KubernetesStatus`` (400 BadRequest) for text that is not a supported selector.
    init(parsing text: String) throws(KubernetesStatus) {
        var requirements: [Requirement] = []
        for part in Self.splitTopLevel(text) {
            let trimmed = part.trimmingWhitespace()
            if trimmed.isEmpty {
                if text.trimmingWhitespace().isEmpty { continue }
                throw Self.parseError(text, "empty requirement")
            }
            requirements.append(try Self.parseRequirement(trimmed, in: text))
        }
        self.requirements = requirements
    }

    /// Whether the selector is empty (matches everything).
    var isEmpty: Bool { self.requirements.isEmpty }

    /// Whether `labels` satisfy every requirement.
    func matches(_ labels: [String: String]) -> Bool {
        self.requirements.allSatisfy { requirement in
            switch requirement {
            case .exists(let key): return labels[key] != nil
            case .doesNotExist(let key): return labels[key] == nil
            case .equals(let key, let value): return labels[key] == value
            case .notEquals(let key, let value): return labels[key] != value
            case .isIn(let key, let values): return labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): return labels[key].map { !values.contains($0) } ?? true
            }
        }
    }

    private static func parseRequirement(_ text: String, in selector: String) throws(KubernetesStatus) -> Requirement {
        if text.hasPrefix("!") {
            let key = String(text.dropFirst()).trimmingWhitespace()
            guard isValidKey(key) else { throw parseError(selector, "invalid label key \"\(key)\"") }
            return .doesNotExist(key)
        }
        let key = String(text.prefix { isKeyCharacter($0) })
        guard isValidKey(key) else { throw parseError(selector, "invalid label key \"\(key)\"") }
        let rest = String(text.dropFirst(key.count)).trimmingWhitespace()
        if rest.isEmpty {
            return .exists(key)
        }
        for (op, isNegated) in [("!=", true), ("==", false), ("=", false)] where rest.hasPrefix(op) {
            let value = String(rest.dropFirst(op.count)).trimmingWhitespace()
            guard value.allSatisfy(isKeyCharacter) else { throw parseError(selector, "invalid label value") }
            return isNegated ? .notEquals(key, value) : .equals(key, value)
        }
        for (op, isNegated) in [("notin", true), ("in", false)] where rest.hasPrefix(op) {
            let list = String(rest.dropFirst(op.count)).trimmingWhitespace()
            guard list.hasPrefix("("), list.hasSuffix(")"), list.count >= 2 else {
                throw parseError(selector, "expected a parenthesised value list after '\(op)'")
            }
            let values = list.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0).trimmingWhitespace() }
            guard values.allSatisfy({ $0.allSatisfy(isKeyCharacter) }) else {
                throw parseError(selector, "invalid label value")
            }
            return isNegated ? .notIn(key, Set(values)) : .isIn(key, Set(values))
        }
        throw parseError(selector, "found '\(rest)', expected: '=', '!=', '==', 'in', notin'")
    }

    /// Splits at commas that are not inside parentheses.
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(":
                depth += 1
                current.append(character)
            case ")":
                depth -= 1
                current.append(character)
            case "," where depth == 0:
                parts.append(current)
                current = ""
            default:
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-_./".contains(character))
    }

    private static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy(isKeyCharacter)
    }

    private static func parseError(_ selector: String, _ detail: String) -> KubernetesStatus {
        .badRequest("unable to parse requirement: \(detail) in label selector \"\(selector)\"")
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
