import ArgumentParser

@main
struct BenchCommand: AsyncParsableCommand {
    func run() async throws {}
}
