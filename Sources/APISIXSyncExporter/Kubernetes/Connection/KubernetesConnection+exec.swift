import Foundation

extension KubernetesConnection {
    /// Validates a kubeconfig `exec` entry and resolves its command to an executable.
    /// - Parameters:
    ///   - exec: The `users[].user.exec` entry.
    ///   - what: `kubeconfig <path>: user '<name>'`, for error messages.
    ///   - directory: The kubeconfig's directory; a command containing `/` is resolved against it.
    ///   - environment: The base environment; a command without `/` is looked up in its `PATH`.
    ///   - clusterInfo: Sent in `KUBERNETES_EXEC_INFO` when `provideClusterInfo` is true.
    static func execPlugin(
        _ exec: Kubeconfig.Exec,
        what: String,
        directory: String,
        environment: [String: String],
        clusterInfo: ExecCredential.Cluster
    ) throws -> ExecCredentialPlugin {
        guard let command = exec.command, !command.isEmpty else {
            throw KubernetesConnectionError("\(what) exec has no command")
        }
        guard let apiVersion = exec.apiVersion, !apiVersion.isEmpty else {
            throw KubernetesConnectionError("\(what) exec has no apiVersion")
        }
        guard ExecCredential.supportedAPIVersions.contains(apiVersion) else {
            throw KubernetesConnectionError(
                "\(what) exec apiVersion '\(apiVersion)' is not supported (use "
                    + ExecCredential.supportedAPIVersions.joined(separator: " or ") + ")"
            )
        }
        switch exec.interactiveMode ?? "IfAvailable" {
        case "Never", "IfAvailable":
            break
        case "Always":
            throw KubernetesConnectionError(
                "\(what) exec interactiveMode is Always, which is not supported: the exporter has no terminal"
            )
        case let mode:
            throw KubernetesConnectionError("\(what) exec interactiveMode '\(mode)' is unknown")
        }

        var processEnvironment = environment
        for (index, variable) in (exec.env ?? []).enumerated() {
            guard let name = variable.name, !name.isEmpty else {
                throw KubernetesConnectionError("\(what) exec env[\(index)] has no name")
            }
            processEnvironment[name] = variable.value ?? ""
        }
        let cluster = exec.provideClusterInfo == true ? clusterInfo : nil
        processEnvironment["KUBERNETES_EXEC_INFO"] = ExecCredential.execInfo(apiVersion: apiVersion, cluster: cluster)

        let executablePath = try locateExecutable(
            command,
            what: what,
            directory: directory,
            environment: environment,
            installHint: exec.installHint
        )
        return ExecCredentialPlugin(
            command: command,
            executablePath: executablePath,
            arguments: exec.args ?? [],
            environment: processEnvironment,
            apiVersion: apiVersion
        )
    }

    /// A command containing `/` is a path (relative to the kubeconfig's directory); otherwise it is searched in
    /// `PATH`, as client-go does.
    private static func locateExecutable(
        _ command: String,
        what: String,
        directory: String,
        environment: [String: String],
        installHint: String?
    ) throws -> String {
        let fileManager = FileManager.default
        if command.contains("/") {
            let path = resolve(command, against: directory)
            guard fileManager.fileExists(atPath: path) else {
                throw KubernetesConnectionError("\(what) exec command \(path) does not exist" + hint(installHint))
            }
            guard fileManager.isExecutableFile(atPath: path) else {
                throw KubernetesConnectionError("\(what) exec command \(path) is not executable")
            }
            return path
        }
        let searchPath = environment["PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(command)"
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                fileManager.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        throw KubernetesConnectionError("\(what) exec command '\(command)' was not found in PATH" + hint(installHint))
    }

    private static func hint(_ installHint: String?) -> String {
        guard let line = installHint?.split(whereSeparator: \.isNewline).first, !line.isEmpty else { return "" }
        return " (\(line.trimmingCharacters(in: .whitespaces)))"
    }
}
