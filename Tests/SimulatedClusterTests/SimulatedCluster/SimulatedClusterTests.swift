import Testing

/// End-to-end tests of the `SimulatedCluster` fakes over real HTTP, with AsyncHTTPClient as the client.
/// The nested suites live in the other files of this folder.
@Suite(.timeLimit(.minutes(1)))
struct SimulatedClusterTests {}
