import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hands mail to the sendmail interface every Unix MTA provides (`notify.email.sendmail`, run as
/// `sendmail -t -oi`: recipients from the headers, a lone `.` is not the end): Postfix, Exim,
/// msmtp. Exit status 0 is delivered (to the MTA, which queues and retries on its own); anything
/// else, no such program, or no exit within a minute, is a failed attempt.
struct SendmailSender: Sendable {
    /// A path, or a name looked up in `PATH`.
    let program: String
    var timeout: Duration = .seconds(60)
    /// Whether the program's own messages go to our standard error (the CLI: the operator reads
    /// them) or nowhere (the server: they may name addresses, and the log holds no personal data).
    var showsErrorOutput = false

    func send(_ message: EmailMessage) async -> DeliveryAttempt {
        guard let executable = Self.locate(program) else {
            return .failed(reason: "the sendmail program \(program) does not exist or is not executable")
        }
        // The message goes in through a socket rather than a pipe: writing to a program that quit
        // without reading then fails with EPIPE instead of raising SIGPIPE, which would end the server.
        var ends: [Int32] = [0, 0]
        #if canImport(Darwin)
            let socketType = SOCK_STREAM
        #else
            let socketType = Int32(SOCK_STREAM.rawValue)
        #endif
        guard socketpair(AF_UNIX, socketType, 0, &ends) == 0 else {
            return .failed(reason: "cannot start sendmail: \(String(cString: strerror(errno)))")
        }
        let ours = ends[0]
        let theirs = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-t", "-oi"]
        process.standardInput = theirs
        process.standardOutput = FileHandle.nullDevice
        process.standardError = showsErrorOutput ? FileHandle.standardError : FileHandle.nullDevice
        let exited = ExitSignal()
        process.terminationHandler = { process in exited.fire(process.terminationStatus) }
        do {
            try process.run()
        } catch {
            close(ours)
            return .failed(reason: "cannot start the sendmail program \(program)")
        }
        try? theirs.close()
        let bytes = Array(message.rendered.utf8)
        // Blocking writes, on a thread of their own, so a program that reads slowly holds no task thread.
        Thread.detachNewThread {
            writeAll(bytes, to: ours)
            close(ours)
        }
        let status = await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await exited.wait() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let status else {
            process.terminate()
            return .failed(reason: "sendmail did not finish within \(timeout.components.seconds) s")
        }
        return status == 0 ? .delivered("sendmail exit 0") : .failed(reason: "sendmail exited with status \(status)")
    }

    /// `program` itself when it names a path, else the first match in `PATH`; `nil` when none is executable.
    static func locate(_ program: String) -> String? {
        if program.contains("/") {
            return FileManager.default.isExecutableFile(atPath: program) ? program : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Writes everything it can to a socket, then ends the stream; stops quietly when the reader has gone.
private func writeAll(_ bytes: [UInt8], to fd: Int32) {
    #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
    #else
        let flags: Int32 = 0
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
    #endif
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, flags) }
        if written < 0 {
            if errno == EINTR { continue }
            return  // the program stopped reading; its exit status tells the rest
        }
        offset += written
    }
    shutdown(fd, Int32(SHUT_WR))
}

/// The exit status of a child process, awaited once (`nil` when the wait is cancelled).
private final class ExitSignal: Sendable {
    private struct State {
        var status: Int32?
        var cancelled = false
        var waiter: CheckedContinuation<Int32?, Never>?
    }

    private let state = Mutex(State())

    func fire(_ status: Int32) {
        let waiter = state.withLock { state -> CheckedContinuation<Int32?, Never>? in
            state.status = status
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: status)
    }

    func wait() async -> Int32? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Int32?? in
                    if let status = state.status { return .some(status) }
                    if state.cancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Int32?, Never>? in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
