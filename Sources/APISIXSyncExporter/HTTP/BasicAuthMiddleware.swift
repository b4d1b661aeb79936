import Dispatch
import Foundation
import Hummingbird
import Synchronization

/// Enforces `basic_auth_users` of the current web configuration on every path, as exporter-toolkit does: a missing
/// or wrong `Authorization: Basic` header gets 401 with `WWW-Authenticate: Basic`. While the configuration file is
/// invalid every request gets 500.
struct BasicAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: WebConfigStore
    let verifier: BasicAuthVerifier

    init(store: WebConfigStore, verifier: BasicAuthVerifier = BasicAuthVerifier()) {
        self.store = store
        self.verifier = verifier
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let users: [String: BcryptHash]
        switch store.current() {
        case .success(let active): users = active.config.basicAuthUsers
        case .failure: return Self.plain(.internalServerError, "Internal Server Error\n")
        }
        if users.isEmpty { return try await next(request, context) }
        guard let header = request.headers[.authorization],
            let (user, password) = Self.credentials(fromAuthorization: header),
            await verifier.verify(user: user, password: password, users: users)
        else {
            var response = Self.plain(.unauthorized, "Unauthorized\n")
            response.headers[.wwwAuthenticate] = "Basic"
            return response
        }
        return try await next(request, context)
    }

    /// User and password of an `Authorization: Basic …` header value.
    static func credentials(fromAuthorization header: String) -> (user: String, password: String)? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}

/// Checks basic-auth credentials against bcrypt hashes, remembering recent successes so that a scraper's repeated
/// requests do not pay for bcrypt each time (exporter-toolkit does the same).
///
/// The cache holds no passwords: an entry is a 128-bit keyed fingerprint of (user, hash, password) under a random
/// per-process key. Because the hash is part of it, a changed or removed user never matches an old entry.
final class BasicAuthVerifier: Sendable {
    private struct Fingerprint: Hashable {
        let high: Int
        let low: Int
    }

    private let key: (UInt64, UInt64, UInt64, UInt64)
    private let successes = Mutex<Set<Fingerprint>>([])
    private let capacity: Int

    init(capacity: Int = 128) {
        var generator = SystemRandomNumberGenerator()
        key = (generator.next(), generator.next(), generator.next(), generator.next())
        self.capacity = capacity
    }

    /// Whether `password` is `user`'s. An unknown user still costs one bcrypt, so timing does not tell which users
    /// exist. bcrypt runs on a Dispatch thread, not on the Swift concurrency pool it would block.
    func verify(user: String, password: String, users: [String: BcryptHash]) async -> Bool {
        guard let hash = users[user] else {
            if let decoy = users.values.first { _ = await Self.bcrypt(password: password, hash: decoy.value) }
            return false
        }
        let fingerprint = self.fingerprint(user: user, hash: hash.value, password: password)
        if successes.withLock({ $0.contains(fingerprint) }) { return true }
        guard await Self.bcrypt(password: password, hash: hash.value) else { return false }
        successes.withLock { set in
            if set.count >= capacity { set.removeAll() }
            set.insert(fingerprint)
        }
        return true
    }

    private static func bcrypt(password: String, hash: String) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Bcrypt.verify(password: password, hash: hash))
            }
        }
    }

    private func fingerprint(user: String, hash: String, password: String) -> Fingerprint {
        func half(_ a: UInt64, _ b: UInt64) -> Int {
            var hasher = Hasher()
            hasher.combine(a)
            hasher.combine(user)
            hasher.combine(hash)
            hasher.combine(password)
            hasher.combine(b)
            return hasher.finalize()
        }
        return Fingerprint(high: half(key.0, key.1), low: half(key.2, key.3))
    }
}
