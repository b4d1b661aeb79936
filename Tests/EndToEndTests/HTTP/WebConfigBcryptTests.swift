import Foundation
import Hummingbird
import Testing

@testable import APISIXSyncExporter

/// bcrypt through HummingbirdBcrypt, the basic-auth header and the verifier's cache.
@Suite struct WebConfigBcryptTests {
    /// `htpasswd -bnBC 10 prometheus 'scrape-me-9'` (Debian apache2-utils).
    static let prometheusHash = "$2y$10$gwe/gQzmvwAdnNmzZIpCKOdrDa14dr5jccakLvMcXm/Y5GufBEf7y"
    static let prometheusPassword = "scrape-me-9"
    /// `htpasswd -bnBC 4 alice wonderland`: cost 4 keeps tests fast.
    static let aliceHash = "$2y$04$4J59m/o/uKCOITAsjD8.f.cZpfnZImoXZuL/BTxoRyXHbZbm.uFkK"
    static let alicePassword = "wonderland"
    /// `htpasswd -bnBC 14 slow slow-pass`: about a second per check, to hold a request in flight.
    static let slowHash = "$2y$14$RVawbPprew2Oxta/m0xyf.nBSJYXeqGtnf8qQxveLV0JZYJpNz5zO"
    static let slowPassword = "slow-pass"

    @Test func verifiesHtpasswdHashes() {
        #expect(Bcrypt.verify(password: Self.prometheusPassword, hash: Self.prometheusHash))
        #expect(!Bcrypt.verify(password: "scrape-me-8", hash: Self.prometheusHash))
        #expect(!Bcrypt.verify(password: "", hash: Self.prometheusHash))
        #expect(Bcrypt.verify(password: Self.alicePassword, hash: Self.aliceHash))
        #expect(!Bcrypt.verify(password: Self.alicePassword.uppercased(), hash: Self.aliceHash))
    }

    /// Openwall crypt_blowfish's test vectors: `$2a$` and its `$2b$` spelling hash the same for these passwords.
    @Test(arguments: [
        ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"),
        ("$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"),
        ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", "U*U*"),
        ("$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a", "U*U*U"),
    ])
    func verifiesKnownVectors(hash: String, password: String) {
        #expect(Bcrypt.verify(password: password, hash: hash))
        #expect(!Bcrypt.verify(password: password + "x", hash: hash))
    }

    /// One password and salt hashed by libxcrypt's `crypt` under each prefix: the three spellings are one algorithm
    /// (HummingbirdBcrypt alone rejects `$2y$`), also for a password beyond ASCII.
    @Test(arguments: ["$2a$", "$2b$", "$2y$"])
    func theThreePrefixesVerifyAlike(prefix: String) {
        let hash = prefix + "04$abcdefghijklmnopqrstuuWPyT3zuK3JxmyXx5UFcdTiysSm3GF5K"
        #expect(Bcrypt.verify(password: "pässwort", hash: hash))
        #expect(!Bcrypt.verify(password: "passwort", hash: hash))
    }

    /// libxcrypt's `$2a$` hash of 255 × "a": bcrypt uses the first 72 bytes, so 72 × "a" followed by anything else
    /// verifies and 255 × "b" does not (OpenBSD's own `$2a$` keeps the length in a byte: 255 bytes would count as
    /// none and any 255-byte password would verify).
    @Test func longPasswordsAreCutTo72BytesUnderEveryPrefix() {
        for prefix in ["$2a$", "$2b$", "$2y$"] {
            let hash = prefix + "04$abcdefghijklmnopqrstuuBzzIgyKkz7xMWYSzkIjUSnxEQFQ0WNe"
            #expect(Bcrypt.verify(password: String(repeating: "a", count: 255), hash: hash))
            #expect(Bcrypt.verify(password: String(repeating: "a", count: 72) + "b", hash: hash))
            #expect(!Bcrypt.verify(password: String(repeating: "a", count: 71), hash: hash))
            #expect(!Bcrypt.verify(password: String(repeating: "b", count: 255), hash: hash))
        }
    }

    /// A malformed hash fails the login; it never reaches the library's preconditions.
    @Test(arguments: [
        "",
        "$2y$",
        "$2x$10$gwe/gQzmvwAdnNmzZIpCKOdrDa14dr5jccakLvMcXm/Y5GufBEf7y",
        "$2y$32$gwe/gQzmvwAdnNmzZIpCKOdrDa14dr5jccakLvMcXm/Y5GufBEf7y",
        "$2y$1a$gwe/gQzmvwAdnNmzZIpCKOdrDa14dr5jccakLvMcXm/Y5GufBEf7y",
        "$2y$10$gwe/gQzmvwAdnNmzZIpCKOdrDa14dr5jccakLvMcXm/Y5GufBEf7",
        "$2y$10$gwe/gQzmvwAdnNmzZIpCKOdrDa14dr5jccakLvMcXm/Y5GufBEf7y=",
        "$2y$10$gwe/gQzmvwAdnNmzZIpCKOdrDa14dr5jccakLvMcXm/Y5GufBEf\u{e9}",
    ])
    func malformedHashesFailTheLogin(hash: String) {
        #expect(!Bcrypt.verify(password: Self.prometheusPassword, hash: hash))
        #expect(BcryptHash(hash) == nil)
    }

    @Test func rejectsMalformedHashesAndPasswordsWithNUL() {
        #expect(!Bcrypt.isWellFormed("$apr1$Y5CwPHNx$uOuhbA5W5b1j6O9SL/R3A0"))
        #expect(!Bcrypt.isWellFormed("$2y$03$" + String(Self.prometheusHash.dropFirst(7))))
        #expect(!Bcrypt.isWellFormed("$2x$10$" + String(Self.prometheusHash.dropFirst(7))))
        #expect(!Bcrypt.isWellFormed(String(Self.prometheusHash.dropLast())))
        #expect(!Bcrypt.isWellFormed(String(Self.prometheusHash.dropLast()) + "!"))
        #expect(Bcrypt.isWellFormed(Self.prometheusHash))
        #expect(!Bcrypt.verify(password: "scrape-me-9\0x", hash: Self.prometheusHash))
    }

    @Test func parsesBasicAuthorizationHeaders() throws {
        typealias Middleware = BasicAuthMiddleware<Hummingbird.BasicRequestContext>
        let header = "Basic " + Data("prometheus:pa:ss".utf8).base64EncodedString()
        let parsed = try #require(Middleware.credentials(fromAuthorization: header))
        #expect(parsed.user == "prometheus")
        #expect(parsed.password == "pa:ss")
        #expect(
            Middleware.credentials(fromAuthorization: "basic " + Data("a:".utf8).base64EncodedString())?.user == "a"
        )
        #expect(Middleware.credentials(fromAuthorization: "Bearer abc") == nil)
        #expect(Middleware.credentials(fromAuthorization: "Basic !!!") == nil)
        #expect(Middleware.credentials(fromAuthorization: "Basic " + Data("nocolon".utf8).base64EncodedString()) == nil)
    }

    @Test func theVerifierCachesSuccessesOnlyForTheSameHash() async throws {
        let verifier = BasicAuthVerifier()
        let users = ["alice": try #require(BcryptHash(Self.aliceHash))]
        #expect(await verifier.verify(user: "alice", password: Self.alicePassword, users: users))
        #expect(await verifier.verify(user: "alice", password: Self.alicePassword, users: users))  // from the cache
        #expect(await !verifier.verify(user: "alice", password: "wrong", users: users))
        #expect(await !verifier.verify(user: "bob", password: Self.alicePassword, users: users))
        // A changed hash (password rotated) must not be satisfied by the cached success.
        let rotated = ["alice": try #require(BcryptHash(Self.prometheusHash))]
        #expect(await !verifier.verify(user: "alice", password: Self.alicePassword, users: rotated))
        #expect(await verifier.verify(user: "alice", password: Self.prometheusPassword, users: rotated))
        #expect(await !verifier.verify(user: "alice", password: Self.alicePassword, users: [:]))
    }
}
