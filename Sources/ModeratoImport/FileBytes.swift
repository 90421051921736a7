import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file read forward through a 256 KiB window: the XML reader's input. Memory stays at the
/// window's size whatever the file's; bytes before the current position are dropped on refill.
///
/// A struct, mutated in place by the reader, so that reading a byte costs no runtime exclusivity
/// check (a class's stored properties would get one on every access); the descriptor and the
/// window's memory belong to `OpenFile`, which releases them.
struct FileBytes {
    let path: String
    private let file: OpenFile
    private let capacity = 256 * 1024
    private let storage: UnsafeMutablePointer<UInt8>
    /// The next byte to read and the end of the bytes in the window.
    private(set) var position = 0
    private(set) var end = 0
    private var atEndOfFile = false
    private(set) var bytesRead: Int64 = 0
    let size: Int64
    private let progress: (@Sendable (Int64, Int64) -> Void)?
    private var reportedAt: Int64 = 0

    init(path: String, progress: (@Sendable (Int64, Int64) -> Void)?) throws(ImportError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            throw .unreadable(file: path, reason: "it is a folder")
        }
        size = Int64(status.st_size)
        file = OpenFile(descriptor: descriptor, capacity: capacity)
        storage = file.storage
        self.progress = progress
    }

    /// The byte at `position + offset`, reading more of the file when needed; `nil` past its end.
    @inline(__always)
    mutating func peek(_ offset: Int = 0) throws -> UInt8? {
        if position + offset < end { return storage[position + offset] }
        return try fill(offset + 1) ? storage[position + offset] : nil
    }

    @inline(__always)
    mutating func advance(_ count: Int = 1) {
        position += count
    }

    /// Consumes the name bytes (see `isNameByte`) already in the window, appending them to `out`
    /// and feeding them to the FNV-1a `hash`; returns whether it stopped at another byte rather
    /// than at the end of the window. The fast path for names.
    @inline(__always)
    mutating func takeName(into out: inout [UInt8], hash: inout UInt64) -> Bool {
        var index = position
        var stopped = false
        while index < end {
            let byte = storage[index]
            guard Self.isNameByte(byte) else {
                stopped = true
                break
            }
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
            index += 1
        }
        out.append(contentsOf: UnsafeBufferPointer(start: storage + position, count: index - position))
        position = index
        return stopped
    }

    /// Letters, digits, `_ : . -` and anything beyond ASCII: what XML names are made of.
    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "-"), 0x80...0xFF:
            return true
        default:
            return false
        }
    }

    /// Whether the next bytes are `expected` (ASCII), without consuming them.
    mutating func matches(_ expected: StaticString) throws -> Bool {
        let count = expected.utf8CodeUnitCount
        guard try position + count <= end || fill(count) else { return false }
        let bytes = expected.utf8Start
        for index in 0..<count where storage[position + index] != bytes[index] { return false }
        return true
    }

    /// Up to the first `maximum` bytes of the file, for format detection (nothing is consumed).
    mutating func head(_ maximum: Int) throws -> [UInt8] {
        _ = try fill(min(maximum, capacity))
        return Array(UnsafeBufferPointer(start: storage + position, count: min(maximum, end - position)))
    }

    /// Makes at least `count` bytes available from `position`, or as many as the file has left.
    private mutating func fill(_ count: Int) throws -> Bool {
        if position + count <= end { return true }
        guard !atEndOfFile else { return false }
        precondition(count <= capacity, "lookahead beyond the window")
        if position > 0 {
            let remaining = end - position
            if remaining > 0 { storage.update(from: storage + position, count: remaining) }
            position = 0
            end = remaining
        }
        while end < count || end == 0 {
            let got = read(file.descriptor, storage + end, capacity - end)
            if got < 0 {
                if errno == EINTR { continue }
                throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 {
                atEndOfFile = true
                break
            }
            end += got
            bytesRead += Int64(got)
        }
        if let progress, bytesRead - reportedAt >= 1 << 20 || atEndOfFile {
            reportedAt = bytesRead
            progress(bytesRead, size)
        }
        return position + count <= end
    }
}

/// An open file descriptor and the memory of its window, released together.
final class OpenFile {
    let descriptor: Int32
    let storage: UnsafeMutablePointer<UInt8>

    init(descriptor: Int32, capacity: Int) {
        self.descriptor = descriptor
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
        close(descriptor)
    }
}
