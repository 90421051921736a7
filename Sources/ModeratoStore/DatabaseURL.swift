import Foundation

/// A database server's address as an operator writes it, `postgres://user:password@host:port/name?sslmode=require`,
/// checked when the configuration is read. Its description never shows the password.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected: libpq's `sslmode` values, with libpq's meaning.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP only.
        case disable
        /// TLS when the server offers it (libpq's `allow` is taken as `prefer`).
        case prefer
        /// TLS always, the certificate not checked (unless `sslrootcert` is given: then as `verify-ca`).
        case require
        /// TLS always, the certificate checked against `sslrootcert` (or the system's roots), not the name.
        case verifyCA = "verify-ca"
        /// TLS always, the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    /// A Unix socket folder given as `?host=/run/postgresql` (libpq's spelling), instead of TCP.
    public var socketFolder: String?
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// `sslrootcert`: a PEM file of the certificate authorities to trust.
    public var rootCertificateFile: String?
    /// `connect_timeout`, in seconds.
    public var connectTimeout: Int

    /// The schemes that name a PostgreSQL server.
    public static let schemes = ["postgres", "postgresql"]
    /// Query parameters understood; any other is refused, so a typo (`sslmod=`) cannot silently
    /// turn TLS off.
    public static let parameters = ["sslmode", "sslrootcert", "host", "connect_timeout", "application_name"]

    /// Parses `text`; the error names what is wrong, never the password.
    public init(_ text: String) throws(DatabaseURLError) {
        guard let schemeEnd = text.range(of: "://") else { throw .notAURL }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard Self.schemes.contains(scheme) else { throw .unsupportedScheme(String(scheme)) }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // The password may itself hold '@' when percent-encoded; the last '@' ends the user part.
        var hostPart = rest
        user = ""
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            hostPart = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], part: "user name")
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], part: "password")
            } else {
                user = try Self.decode(userInfo, part: "user name")
            }
        }
        port = 5432
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw .invalid("the IPv6 host has no closing ]") }
            host = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
            let after = hostPart[hostPart.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalid("unexpected text after the IPv6 host") }
                port = try Self.port(after.dropFirst())
            }
        } else if let colon = hostPart.lastIndex(of: ":") {
            host = try Self.decode(hostPart[..<colon], part: "host")
            port = try Self.port(hostPart[hostPart.index(after: colon)...])
        } else {
            host = try Self.decode(hostPart, part: "host")
        }
        database = try Self.decode(path, part: "database name")
        tls = .prefer
        connectTimeout = 10
        for item in query.split(separator: "&") where !item.isEmpty {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = try Self.decode(pair.count > 1 ? pair[1] : "", part: name)
            switch name {
            case "sslmode":
                guard let mode = value == "allow" ? .prefer : TLSMode(rawValue: value) else {
                    throw .invalid("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, not \"\(value)\"")
                }
                tls = mode
            case "sslrootcert": rootCertificateFile = value
            case "host":
                guard value.hasPrefix("/") else {
                    throw .invalid("host= in the query must be a Unix socket folder such as /run/postgresql")
                }
                socketFolder = value
            case "connect_timeout":
                guard let seconds = Int(value), (1...3600).contains(seconds) else {
                    throw .invalid("connect_timeout must be a number of seconds from 1 to 3600")
                }
                connectTimeout = seconds
            case "application_name": break
            default:
                throw .invalid("unknown parameter \"\(name)\"; known are \(Self.parameters.joined(separator: ", "))")
            }
        }
        guard !host.isEmpty || socketFolder != nil else { throw .invalid("the host is missing") }
        if host.isEmpty { host = "localhost" }
        guard !user.isEmpty else { throw .invalid("the user name is missing (postgres://USER:PASSWORD@host/database)") }
        if database.isEmpty { database = user }  // libpq's default
    }

    /// `postgres://user@host:port/database`, without the password: for messages and logs.
    public var description: String {
        "postgres://\(user)@\(endpoint)/\(database)"
    }

    /// `host:port` (or the socket's path), as messages name the server.
    public var endpoint: String {
        if let socketFolder { return "\(socketFolder)/.s.PGSQL.\(port)" }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func port(_ text: Substring) throws(DatabaseURLError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw .invalid("the port must be a number from 1 to 65535") }
        return port
    }

    private static func decode(_ text: Substring, part: String) throws(DatabaseURLError) -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw .invalid("the \(part) has a broken %-escape") }
        return decoded
    }
}

/// Why a database URL was refused. Never holds the password.
public enum DatabaseURLError: Error, Equatable, CustomStringConvertible {
    case notAURL
    case unsupportedScheme(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .notAURL: "must be a URL such as postgres://moderato:PASSWORD@db.example.org:5432/moderato"
        case .unsupportedScheme(let scheme):
            "must start with postgres:// or postgresql:// (\(scheme):// is not a database Moderato can use)"
        case .invalid(let problem): "is not a usable PostgreSQL URL: \(problem)"
        }
    }
}
