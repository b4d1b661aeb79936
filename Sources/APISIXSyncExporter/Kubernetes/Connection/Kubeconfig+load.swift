import Foundation
import Yams

extension Kubeconfig {
    /// Reads and parses a kubeconfig file.
    /// - Parameter path: The kubeconfig file.
    /// - Throws: ``KubernetesConnectionError`` for a missing or unreadable file, malformed YAML or a field of the
    ///   wrong type. The message gives the line or field, never the file's content.
    static func load(path: String) throws -> Kubeconfig {
        let data = try KubernetesConnectionFiles.read(path, what: "kubeconfig")
        guard let text = String(data: data, encoding: .utf8) else {
            throw KubernetesConnectionError("kubeconfig \(path) is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses kubeconfig YAML.
    /// - Parameters:
    ///   - text: The YAML.
    ///   - path: Where it came from, for error messages.
    static func parse(_ text: String, path: String) throws -> Kubeconfig {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw KubernetesConnectionError("kubeconfig \(path) is empty")
        }
        do {
            return try YAMLDecoder().decode(Kubeconfig.self, from: text)
        } catch let error as YamlError {
            throw KubernetesConnectionError("kubeconfig \(path) is not valid YAML: \(describe(error))")
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, let yamlError = context.underlyingError as? YamlError {
                throw KubernetesConnectionError("kubeconfig \(path) is not valid YAML: \(describe(yamlError))")
            }
            throw KubernetesConnectionError("kubeconfig \(path) is malformed: \(describe(error))")
        } catch {
            throw KubernetesConnectionError("kubeconfig \(path) is malformed")
        }
    }

    /// Describes a YAML syntax error by position only: Yams' own description quotes the offending line, which may
    /// hold a token.
    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "\(problem) at line \(mark.line), column \(mark.column)"
        case .reader(let problem, _, _, _):
            return problem
        case .duplicatedKeysInMapping(let duplicates, let context):
            return "duplicate key(s) \(duplicates.sorted().joined(separator: ", ")) at line \(context.mark.line)"
        default:
            return "unreadable document"
        }
    }

    /// Describes a decoding error by field path and expected type, never by value.
    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            return "field \(fieldPath(context.codingPath)) should be \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "field \(fieldPath(context.codingPath)) should be \(typeName(type)), found null"
        case .keyNotFound(let key, let context):
            return "field \(fieldPath(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "the document is not a YAML mapping"
            }
            return "field \(fieldPath(context.codingPath)) has an invalid value"
        @unknown default:
            return "the document could not be decoded"
        }
    }

    private static func fieldPath(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "(top level)" }
        var result = ""
        for key in path {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Node.Mapping.Type: return "a mapping"
        case is Node.Sequence.Type: return "a list"
        case is Node.Scalar.Type, is String.Type: return "a single value"
        case is Bool.Type: return "true or false"
        default: return "a \(type)"
        }
    }
}
