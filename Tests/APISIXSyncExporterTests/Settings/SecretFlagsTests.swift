import Foundation
import Testing

@testable import APISIXSyncExporter

/// The Admin API key and the etcd password: read from their files (or the environment), checked, never shown.
@Suite struct SecretFlagsTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theKeyFileIsTrimmedAndWinsOverTheEnvironment() throws {
        let path = try Self.file("  edd1c9f0-key \n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try ExporterFlagsTests.flags { $0.apisix.adminKeyFile = path }
            .resolve(environment: ["APISIX_ADMIN_KEY": "from-env"])
        #expect(settings.apisix.client.adminKey == "edd1c9f0-key")
        #expect(settings.redactedSummary["apisix.admin-key"] == "(set)")
        for text in ["\(settings)", String(reflecting: settings), "\(settings.apisix.client)"] {
            #expect(!text.contains("edd1c9f0"))
        }
    }

    @Test func anEmptyKeyFileIsRejected() throws {
        let path = try Self.file(" \n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            ExporterFlagsTests.failingFlag(ExporterFlagsTests.flags { $0.apisix.adminKeyFile = path })
                == "--apisix.admin-key-file"
        )
    }

    @Test func withoutAFileTheKeyComesFromTheEnvironment() throws {
        let flags = ExporterFlagsTests.flags()
        #expect(try flags.resolve(environment: ["APISIX_ADMIN_KEY": "k"]).apisix.client.adminKey == "k")
        #expect(try flags.resolve(environment: ["APISIX_ADMIN_KEY": ""]).apisix.client.adminKey == nil)
        #expect(try flags.resolve(environment: [:]).apisix.client.adminKey == nil)
    }

    @Test func checkingFlagsReadsNoFile() throws {
        let flags = ExporterFlagsTests.flags {
            $0.apisix.adminKeyFile = "/nonexistent/key"
            $0.web.configFile = "/nonexistent/web.yml"
            $0.apisix.etcdEndpoints = ["https://etcd:2379"]
            $0.apisix.etcdUsername = "apisix"
            $0.apisix.etcdPasswordFile = "/nonexistent/pw"
            $0.apisix.etcdCAFile = "/nonexistent/ca.pem"
        }
        let settings = try flags.resolve(environment: [:], readFiles: false)
        #expect(settings.redactedSummary["apisix.admin-key"] == "(set)")
        #expect(settings.web.configFile == "/nonexistent/web.yml")
        #expect(settings.apisix.etcd?.redactedSummary.contains("password (set)") == true)
        #expect(!settings.description.contains("not read"))
    }

    @Test(arguments: [" pass word \n\n", " pass word \r\n", " pass word "])
    func theEtcdPasswordLosesOnlyItsTrailingNewline(contents: String) throws {
        let path = try Self.file(contents)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try ExporterFlagsTests.flags {
            $0.apisix.etcdEndpoints = ["http://etcd:2379"]
            $0.apisix.etcdUsername = "apisix"
            $0.apisix.etcdPasswordFile = path
        }.resolve(environment: [:])
        #expect(settings.apisix.etcd?.password == " pass word ")
        #expect(settings.apisix.etcd?.username == "apisix")
        #expect(settings.apisix.etcd?.prefix == SettingDefaults.etcdPrefix)
    }

    @Test func onlyTheAPISIXClientsGetTheKey() throws {
        let settings = try ExporterFlagsTests.flags().resolve(environment: ["APISIX_ADMIN_KEY": "secret-key"])
        // The tracker's, the web server's and the Kubernetes side's parts hold no key.
        for part in [
            "\(settings.tracker)", "\(settings.web)", "\(settings.measurement)", "\(settings.kubernetes)",
            "\(settings.polling)", "\(settings.logging)",
        ] {
            #expect(!part.contains("secret-key"))
        }
        #expect(settings.apisix.client.adminKey == "secret-key")
    }
}
