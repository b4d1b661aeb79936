import Foundation

/// A resolved kubeconfig `users[].user.exec` entry: what to run and how.
struct ExecCredentialPlugin: Sendable {
    /// The command as written in the kubeconfig; used in error messages (the arguments are not, they may be secret).
    var command: String
    /// Absolute path of the program to run.
    var executablePath: String
    /// The arguments (`exec.args`).
    var arguments: [String]
    /// The complete environment: the exporter's, plus `exec.env`, plus `KUBERNETES_EXEC_INFO`.
    var environment: [String: String]
    /// The ExecCredential API version the plugin speaks.
    var apiVersion: String
    /// How long one run may take.
    var timeout: Duration = .seconds(60)

    /// Runs the plugin once and returns its token.
    /// - Throws: ``KubernetesConnectionError`` naming the command, with the first line of its stderr when it fails.
    func fetchToken() async throws -> ExecCredential.Token {
        let output = try await ExecPluginProcess.run(
            executablePath: executablePath,
            arguments: arguments,
            environment: environment,
            timeout: timeout,
            command: command
        )
        guard output.status == 0, !output.terminatedBySignal else {
            let how =
                output.terminatedBySignal
                ? "was killed by signal \(output.status)" : "failed with exit status \(output.status)"
            throw KubernetesConnectionError("exec plugin '\(command)' \(how): \(Self.firstLine(of: output.stderr))")
        }
        return try ExecCredential.token(from: output.stdout, apiVersion: apiVersion, command: command)
    }

    /// The first non-empty line of a plugin's stderr, shortened to 300 characters.
    static func firstLine(of stderr: Data) -> String {
        let text = String(decoding: stderr, as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty }
        guard let line else { return "(nothing on stderr)" }
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }
}
