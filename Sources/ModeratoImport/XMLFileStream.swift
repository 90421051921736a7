import Foundation

/// The file as an `InputStream` for `XMLParser(stream:)`, which parses chunk by chunk and so
/// never holds the document; this one also counts the bytes read, for the progress line.
final class XMLFileStream: InputStream {
    private let handle: FileHandle
    private var status: Stream.Status = .notOpen
    private var failure: Error?
    private let progress: (@Sendable (Int64, Int64) -> Void)?
    private let total: Int64
    private(set) var bytesRead: Int64 = 0
    private var reportedAt: Int64 = 0

    init(path: String, progress: (@Sendable (Int64, Int64) -> Void)?) throws(ImportError) {
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            total = Int64(truncatingIfNeeded: (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0)
        } catch {
            throw .unreadable(file: path, reason: Self.reason(error))
        }
        self.progress = progress
        super.init(data: Data())
    }

    /// Why reading failed midway, if it did (the parser only sees the stream end).
    var readError: Error? { failure }

    override func open() { status = .open }

    override func close() {
        status = .closed
        try? handle.close()
    }

    override var streamStatus: Stream.Status { status }
    override var hasBytesAvailable: Bool { status == .open }
    override var streamError: Error? { failure }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        let data: Data
        do {
            data = try handle.read(upToCount: length) ?? Data()
        } catch {
            failure = error
            status = .error
            return -1
        }
        guard !data.isEmpty else {
            status = .atEnd
            progress?(bytesRead, total)
            return 0
        }
        data.copyBytes(to: buffer, count: data.count)
        bytesRead += Int64(data.count)
        if let progress, bytesRead - reportedAt >= 1 << 20 {
            reportedAt = bytesRead
            progress(bytesRead, total)
        }
        return data.count
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(posix.code)) {
            return String(cString: message)
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        return nsError.localizedDescription
    }
}
