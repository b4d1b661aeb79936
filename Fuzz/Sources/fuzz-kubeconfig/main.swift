import Foundation
import FuzzDriver

// `Kubeconfig` is internal to the library; debug builds compile it with testing enabled, which is how `.ci/fuzz`
// builds this package.
@testable import APISIXSyncExporter

// One input is a kubeconfig file's bytes. They go through the same steps as `Kubeconfig.load(path:)` after the read:
// UTF-8 check, YAML parse and decode (Yams, libyaml underneath), then context selection.
FuzzDriver.run { bytes in
    guard let text = String(data: Data(bytes), encoding: .utf8) else { return }
    let kubeconfig: Kubeconfig
    do {
        kubeconfig = try Kubeconfig.parse(text, path: "/fuzz/kubeconfig")
    } catch {
        _ = "\(error)"
        return
    }
    for context in [nil] + (kubeconfig.contexts ?? []).map(\.name) {
        do {
            _ = try kubeconfig.select(context: context, path: "/fuzz/kubeconfig")
        } catch {
            _ = "\(error)"
        }
    }
}
