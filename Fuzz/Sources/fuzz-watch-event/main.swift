import APISIXSyncExporter
import Foundation
import FuzzDriver

// One input is a piece of a watch stream: newline-delimited events, each decoded by `WatchEvent.decode` and applied to
// an `EndpointSliceIndex` the way the watcher applies it. The whole input is also decoded as a list page and as a
// `Status`, as the relist and the error paths of the client decode response bodies.
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
    let decoder = JSONDecoder()
    if let page = try? decoder.decode(EndpointSliceList.self, from: data) {
        _ = index.replaceAll(page.items)
        if let namespace = page.items.first?.metadata.namespace {
            _ = index.replaceAll(page.items.reversed(), inNamespace: namespace)
        }
    }
    _ = try? decoder.decode(KubernetesStatus.self, from: data)
    for service in index.services {
        for (_, endpoints) in index.ports(of: service) {
            _ = endpoints.ready.sorted().map(\.description)
        }
    }
}
