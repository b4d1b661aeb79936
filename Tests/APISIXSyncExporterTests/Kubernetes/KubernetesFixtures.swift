import Foundation

/// The Kubernetes wire documents in `Kubernetes/Fixtures` (a resource of the test target; see the README there).
enum KubernetesFixtures {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "no fixture Fixtures/\(name)" }
    }

    /// The bytes of `Fixtures/<name>`.
    static func data(_ name: String) throws -> Data {
        let file = name as NSString
        guard
            let url = Bundle.module.url(
                forResource: file.deletingPathExtension,
                withExtension: file.pathExtension,
                subdirectory: "Fixtures"
            )
        else { throw Missing(name: name) }
        return try Data(contentsOf: url)
    }
}
