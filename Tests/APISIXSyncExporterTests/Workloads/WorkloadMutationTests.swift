import Foundation
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// Seeded mutations of pod and ReplicaSet documents, watch lines and exec commands: every one decodes or fails with an
/// error, none traps, and whatever decodes can be patched without trapping.
@Suite struct WorkloadMutationTests {
    static let tokens: [[UInt8]] = [
        "null", "[]", "{}", "\"\"", "-1", "1e999", "true", "\"sleep 5\"", "[\"sleep\",\"5\"]", "{\"seconds\":5}",
        "\"2026-12-06T22:35:43Z\"", "\\u0000", "\"", ",", ":", "]", "}",
    ].map { Array($0.utf8) }

    static func mutate(_ bytes: [UInt8], with generator: inout SeededGenerator) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            guard !result.isEmpty else { break }
            let index = Int.random(in: 0..<result.count, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: result[index] = UInt8.random(in: 0...255, using: &generator)
            case 1: result.removeSubrange(index..<min(result.count, index + Int.random(in: 1...16, using: &generator)))
            case 2: result.insert(contentsOf: tokens.randomElement(using: &generator) ?? [], at: index)
            default: result = Array(result[..<index])
            }
        }
        return result
    }

    @Test func mutatedDocumentsNeverTrap() {
        var generator = SeededGenerator(seed: 3960)
        let seeds = [
            PodFixtures.pod(), PodFixtures.pod(preStop: #"{"exec":{"command":["/bin/sh","-c","sleep 5 && x"]}}"#),
            PodFixtures.replicaSet,
        ].map { Array($0.utf8) }
        var decoded = 0
        for round in 0..<3_000 {
            let mutated = Self.mutate(seeds[round % seeds.count], with: &generator)
            let data = Data(mutated)
            if let pod = try? PodSummary.decode(data) {
                decoded += 1
                for container in pod.template.containers {
                    _ = WorkloadPatch(
                        workload: WorkloadKey(namespace: pod.namespace, kind: "Deployment", name: pod.name),
                        container: container.name,
                        current: container.preStop,
                        recommendedPreStop: 7,
                        currentGrace: pod.template.terminationGracePeriodSeconds,
                        recommendedGrace: 40
                    )
                }
            }
            _ = try? ReplicaSetSummary.decode(data)
            _ = try? KubernetesObjectEvent<PodSummary>.decode(
                Data(#"{"type":"ADDED","object":"#.utf8) + data + Data("}".utf8)
            )
        }
        #expect(decoded > 0)
    }

    @Test func randomCommandsNeverTrap() {
        var generator = SeededGenerator(seed: 4818)
        let words = [
            "sh", "-c", "/bin/bash", "sleep", "/usr/bin/sleep", " ", "\t", "\n", "\r\n", ";", "&&", "||", "&", "|", "5",
            "5s", "0.5", ".", "-", "1d", "99999", "infinity", "$(", "é", "\u{0}", "sleep 5", "sleep 5;", "",
        ]
        for _ in 0..<5_000 {
            let command = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in words.randomElement(using: &generator) ?? "" }
                    .joined()
            }
            let action = PreStopAction.parse(execCommand: command)
            guard case .execSleep(let seconds, _) = action else { continue }
            #expect((0...PreStopAction.maximumExecSleepSeconds).contains(seconds))
            let patched = ExecSleep(command: command)?.replacing(in: command, seconds: 12) ?? []
            #expect(PreStopAction.parse(execCommand: patched).seconds == 12, "\(command) → \(patched)")
        }
    }
}
