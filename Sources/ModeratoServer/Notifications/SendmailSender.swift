import Foundation

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
            let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #endif
        guard socketpair(AF_UNIX, socketType, 0, &ends) == 0 else {
            return .failed(reason: "cannot start sendmail: \(String(cString: strerror(errno)))")
        }
        let (ours, theirs) = (ends[0], ends[1])
        let child = ChildProcess.spawn(executable, arguments: ["-t", "-oi"], input: theirs, showsErrorOutput: showsErrorOutput)
        close(theirs)
        guard let child else {
            close(ours)
            return .failed(reason: "cannot start the sendmail program \(program): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(message.rendered.utf8)
        // Blocking writes, on a thread of their own, so a program that reads slowly holds no task thread.
        Thread.detachNewThread {
            writeAll(bytes, to: ours)
            close(ours)
        }
        guard let status = await child.exitStatus(within: timeout) else {
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
