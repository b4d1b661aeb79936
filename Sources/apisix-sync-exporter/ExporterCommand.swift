import APISIXSyncExporter
import ArgumentParser
import CMallocTuning
import Foundation
import NIOCore
import NIOPosix

/// `apisix-sync-exporter`: the root command; `serve` runs by default.
@main
struct ExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apisix-sync-exporter",
        abstract: "Measures how long APISIX takes to reflect Kubernetes EndpointSlice changes.",
        version:
            "apisix-sync-exporter \(BuildInfo.version) (revision \(BuildInfo.revision), swift \(BuildInfo.swiftVersion))",
        subcommands: [ServeCommand.self, DemoCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    /// Bad flags print one line naming the flag and exit with 2, as Prometheus exporters do.
    static func main() async {
        // Few malloc arenas: many short-lived JSON objects from several threads otherwise fragment into a large RSS.
        apisix_sync_limit_malloc_arenas(2)
        // Large transient buffers (list bodies, /metrics) go back to the system instead of staying resident.
        apisix_sync_fix_mmap_threshold(1 << 20)
        // Tasks run on NIO's event loops: a watch message is read, decoded and recorded on the thread that read it,
        // instead of waking a thread of the default pool for each one (docs/benchmarks.md, the etcd source).
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as SettingsError {
            FileHandle.standardError.write(Data("apisix-sync-exporter: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if error is ExitCode { Foundation.exit(code.rawValue) }
            var message =
                fullMessage(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            if message.hasPrefix("Error: ") { message.removeFirst(7) }
            FileHandle.standardError.write(Data("apisix-sync-exporter: \(message)\n".utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
