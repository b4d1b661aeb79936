import APISIXSyncDemo
import Testing

@testable import APISIXSyncExporter

/// The demo's own flags: defaults written once in ``DemoOptions``, values checked in the library.
@Suite struct DemoFlagsTests {
    @Test func theDefaultFlagsResolveToTheDefaultOptions() throws {
        var flags = DemoFlags()
        flags.seed = "7"
        let options = try flags.resolve(etcdInstalled: { false })
        #expect(options.services == DemoOptions.defaultServices)
        #expect(options.lagMedian == DemoOptions.defaultLagMedian)
        #expect(options.lagP99 == DemoOptions.defaultLagP99)
        #expect(options.seed == 7)
        #expect(options.source == .admin)
        #expect(DemoFlags().lagMedian == "1.2s")
    }

    @Test(arguments: [
        ("services", "0", "--services"), ("services", "x", "--services"), ("lagMedian", "soon", "--lag-median"),
        ("lagP99", "1s", "--lag-p99"), ("seed", "-1", "--seed"), ("source", "standalone", "--apisix.source"),
        ("source", "etcd", "--apisix.source"),
    ])
    func aBadValueNamesItsFlag(field: String, value: String, flag: String) {
        var flags = DemoFlags()
        switch field {
        case "services": flags.services = value
        case "lagMedian": flags.lagMedian = value
        case "lagP99": flags.lagP99 = value
        case "seed": flags.seed = value
        default: flags.source = value
        }
        #expect(throws: SettingsError.self) { try flags.resolve(etcdInstalled: { false }) }
        do {
            _ = try flags.resolve(etcdInstalled: { false })
        } catch {
            #expect(error.flag == flag)
        }
    }
}
