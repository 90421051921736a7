import Foundation

/// Where `WXRWriter` puts its text.
public protocol WXRSink {
    mutating func write(_ text: String) throws
    /// Everything written so far is out of any buffer.
    mutating func flush() throws
}

/// Writes to a file handle (stdout for `moderato export`) through a 64 KiB buffer.
public struct FileHandleSink: WXRSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let capacity = 64 * 1024

    public init(_ handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(Self.capacity)
    }

    public mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { try flush() }
    }

    public mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Keeps the document in memory: for small exports and tests.
public struct StringSink: WXRSink {
    public private(set) var text = ""

    public init() {}

    public mutating func write(_ text: String) throws {
        self.text += text
    }

    public mutating func flush() throws {}
}
