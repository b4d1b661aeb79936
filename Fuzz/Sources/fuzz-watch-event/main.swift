import Foundation
import FuzzDriver

@testable import APISIXSyncExporter

// One input is a piece of a watch stream: newline-delimited events, each decoded by `WatchEvent.decode` and applied to
// an `EndpointSliceIndex` the way the watcher applies it. The whole input is also decoded as a list page and as a
// `Status`, with the decoders the relist and the error paths of the client use (internal, hence `@testable`).
FuzzDriver.run { bytes in
    let data = Data(bytes)
    var index = EndpointSliceIndex()
    for line in data.split(separator: UInt8(ascii: "\n")) {
        let event: WatchEvent
        do throws(WatchEvent.DecodingError) {
            event = try WatchEvent.decode(Data(line))
        } catch {
            _ = error.description
            continue
        }
        switch event {
        case .added(let slice), .modified(let slice): _ = index.upsert(slice)
        case .deleted(let slice): _ = index.delete(slice)
        case .bookmark, .error: break
        }
    }
    if let page = try? EndpointSliceList.decode(data) {
        _ = index.replaceAll(page.items)
        if let namespace = page.items.first?.metadata.namespace {
            _ = index.replaceAll(page.items.reversed(), inNamespace: namespace)
        }
    }
    _ = try? KubernetesStatus.decode(data)
    for service in index.services {
        for (_, endpoints) in index.ports(of: service) {
            _ = endpoints.ready.sorted().map(\.description)
        }
    }
}
