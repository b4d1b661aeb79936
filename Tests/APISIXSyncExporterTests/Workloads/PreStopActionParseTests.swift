import Testing

@testable import APISIXSyncExporter

/// `PreStopAction.parse(execCommand:)`: which exec commands are a readable sleep, and where a patch changes them.
@Suite struct PreStopActionParseTests {
    @Test(arguments: [
        (["sleep", "5"], 5),
        (["sleep", "5s"], 5),
        (["sleep", "0"], 0),
        (["sleep", "5.5"], 6),
        (["sleep", "0.1"], 1),
        (["sleep", ".5"], 1),
        (["sleep", "2m"], 120),
        (["sleep", "1d"], 86_400),
        (["/usr/bin/sleep", "5"], 5),
        (["/bin/sh", "-c", "sleep 5"], 5),
        (["sh", "-c", "sleep 5 && nginx -s quit"], 5),
        (["/bin/bash", "-c", "sleep 10; kill 1"], 10),
        (["bash", "-ec", "sleep 10;kill 1"], 10),
        (["sh", "-c", "  sleep 7\nnginx -s quit"], 7),
        (["sh", "-c", "sleep 7\r\nnginx -s quit"], 7),
        (["sh", "-c", "sleep 3 || true"], 3),
        (["sh", "-c", "sleep\t4 \t&& true"], 4),
        (["/bin/sh", "-c", "/bin/sleep 15s"], 15),
        (["sh", "-c", "sleep 5", "argv0"], 5),
    ])
    func readsASleep(command: [String], seconds: Int) {
        #expect(PreStopAction.parse(execCommand: command) == .execSleep(seconds: seconds, command: command))
    }

    @Test(arguments: [
        [],
        ["sleep"],
        ["sleep", "5", "6"],
        ["sleep", "infinity"],
        ["sleep", "-5"],
        ["sleep", "86401"],
        ["sleep", "1e3"],
        ["sleep", "5x"],
        ["sleep", "5 "],
        ["sleep", ""],
        ["sleep", "1.2.3"],
        ["sleep", "."],
        ["sleep", String(repeating: "9", count: 100)],
        ["sleep", "9999999999999999999999"],
        ["sh", "-c", "echo hi; sleep 5"],
        ["sh", "-c", "sleep $(cat f)"],
        ["sh", "-c", "sleep infinity"],
        ["sh", "-c", "sleep 5 &"],
        ["sh", "-c", "sleep 5 | cat"],
        ["sh", "-c", "sleep 5 6"],
        ["sh", "-c", "sleep 5 # wait"],
        ["sh", "-c", "sleep\n5"],
        ["sh", "-c", "sleep5"],
        ["sh", "-c", "sleepy 5"],
        ["sh", "-c", "exec sleep 5"],
        ["sh", "-c", "sleep -5"],
        ["sh", "-c", "sleep 100000"],
        ["sh", "-c", ""],
        ["sh", "-c"],
        ["sh", "sleep 5"],
        ["sh", "-x", "sleep 5"],
        ["sh", "-c1", "sleep 5"],
        ["python", "-c", "sleep 5"],
        ["nginx", "-s", "quit"],
        ["/bin/sh", "-c", "sleep 5" + String(repeating: "x", count: 100_000)],
        [String(repeating: "/", count: 10_000)],
    ])
    func leavesEverythingElseUnknown(command: [String]) {
        #expect(PreStopAction.parse(execCommand: command) == .unknown(form: "exec"))
    }

    @Test func aGiantScriptStartingWithASleepIsRead() {
        let command = ["sh", "-c", "sleep 9; " + String(repeating: "echo x; ", count: 50_000)]
        #expect(PreStopAction.parse(execCommand: command).seconds == 9)
    }

    @Test(arguments: [
        (["sleep", "5"], ["sleep", "12"]),
        (["sleep", "5s"], ["sleep", "12s"]),
        (["sleep", "1m"], ["sleep", "12"]),
        (["sleep", "5.5"], ["sleep", "12"]),
        (["/usr/bin/sleep", "5"], ["/usr/bin/sleep", "12"]),
        (["sh", "-c", "sleep 5 && nginx -s quit"], ["sh", "-c", "sleep 12 && nginx -s quit"]),
        (["/bin/bash", "-c", "  sleep 10s; kill 1"], ["/bin/bash", "-c", "  sleep 12s; kill 1"]),
        (["sh", "-c", "sleep 5", "sleep 5"], ["sh", "-c", "sleep 12", "sleep 5"]),
    ])
    func replacesOnlyTheNumber(command: [String], patched: [String]) throws {
        let sleep = try #require(ExecSleep(command: command))
        let result = sleep.replacing(in: command, seconds: 12)
        #expect(result == patched)
        #expect(PreStopAction.parse(execCommand: result).seconds == 12)
    }
}
