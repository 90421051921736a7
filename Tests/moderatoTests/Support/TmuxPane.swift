import Foundation
import Testing

/// A real pseudo-terminal for full-screen commands: a detached tmux session of its own (its own
/// socket, so tests run side by side), driven with `send-keys` and read with `capture-pane`, as a
/// person at a terminal would type and see.
final class TmuxPane {
    let socket: String
    let folder: WorkingFolder
    private let environment: [String: String]

    /// Runs `script` (sh) in a new pane of `columns` × `rows` cells, in `folder`. The pane's TERM is
    /// tmux's own (`screen`, colours on); `environment` is added to the test's.
    init(
        folder: WorkingFolder, name: String = "pane", script: String, columns: Int = 100, rows: Int = 30,
        environment: [String: String] = [:]
    )
        throws
    {
        self.folder = folder
        socket = folder.path + "/\(name).tmux"
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MODERATO_") && $0.key != "TMUX" && $0.key != "NO_COLOR" }
        env["USER"] = "reviewer"
        env["LANG"] = "C.UTF-8"
        env.merge(environment) { $1 }
        self.environment = env
        let path = try folder.write(script, to: "\(name).sh")
        // The server this starts keeps the descriptors it was given: no pipe, or reading it would
        // never end.
        try tmux(
            "new-session", "-d", "-s", "review", "-x", String(columns), "-y", String(rows), "-c", folder.path, "sh \(path)", output: false)
    }

    deinit { _ = try? tmux("kill-server", output: false) }

    /// One tmux command on this pane's server; its output when `output` is set.
    ///
    /// Spawned with every descriptor above stderr closed, not with `Process`: the first command
    /// starts the tmux server, which lives on, and Foundation's `Process` would wait for it to
    /// close the descriptors it inherited (and so would readers of any pipe it kept).
    @discardableResult
    func tmux(_ arguments: String..., output: Bool = true) throws -> String {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipe: [Int32] = [-1, -1]
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if output {
            guard Glibc.pipe(&pipe) == 0 else { throw TmuxPaneError.cannotRun("pipe: \(errno)") }
            for end in pipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        // Every other descriptor of the test process (glibc's closefrom action is not visible here).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }

        // The calling thread may block signals (Dispatch's threads do) and the test process may
        // ignore some; tmux, its server and the program in the pane must get them as usual.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ["/usr/bin/env", "tmux", "-u", "-f", "/dev/null", "-S", socket] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid = pid_t()
        let spawned = withCStrings(argv) { argv in
            withCStrings(envp) { envp in posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp) }
        }
        guard spawned == 0 else { throw TmuxPaneError.cannotRun("posix_spawn: \(spawned)") }
        var text = Data()
        if output {
            close(pipe[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                text.append(contentsOf: buffer[0..<count])
            }
            close(pipe[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return String(decoding: text, as: UTF8.self)
    }

    /// Types keys, by tmux's names: `a`, `Down`, `NPage`, `C-c`.
    func send(_ keys: String...) throws {
        for key in keys { try tmux("send-keys", "-t", "review", key) }
    }

    /// The screen as text, one line per row, trailing spaces cut.
    func screen() throws -> String {
        try tmux("capture-pane", "-p", "-t", "review")
    }

    /// The screen with its SGR sequences (colours, bold).
    func screenWithAttributes() throws -> String {
        try tmux("capture-pane", "-p", "-e", "-t", "review")
    }

    /// Whether the program in the pane is on the alternate screen.
    func isOnAlternateScreen() throws -> Bool {
        try tmux("display-message", "-p", "-t", "review", "#{alternate_on}").trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// The process the pane's shell is running now (its first child), if any.
    func childProcess() throws -> Int32? {
        let shell = try tmux("display-message", "-p", "-t", "review", "#{pane_pid}").trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return children?.split(separator: " ").first.flatMap { Int32($0) }
    }

    func resize(columns: Int, rows: Int) throws {
        try tmux("resize-window", "-t", "review", "-x", String(columns), "-y", String(rows))
    }

    /// Waits until the screen satisfies `condition` and returns it; records an issue with the
    /// screen as it was when it does not within `timeout` seconds.
    @discardableResult
    func waitFor(
        _ what: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = try screen()
        while !condition(text) {
            guard Date() < deadline else {
                Issue.record("waited \(Int(timeout))s for \(what); the screen is:\n\(text)", sourceLocation: sourceLocation)
                throw TmuxPaneError.timedOut(what)
            }
            Thread.sleep(forTimeInterval: 0.05)
            text = try screen()
        }
        return text
    }

    /// Waits until the screen shows `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitFor("“\(text)”", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }
}

enum TmuxPaneError: Error {
    case timedOut(String)
    case cannotRun(String)
}

/// `strings` as a NULL-terminated array of C strings, for `posix_spawn`.
private func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer {
        for pointer in pointers { free(pointer) }
    }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Cells a captured line takes, counted independently of the program under test: CJK and
/// fullwidth characters two, combining marks none, the rest one.
func cellWidth(_ text: some StringProtocol) -> Int {
    text.unicodeScalars.reduce(0) { total, scalar in
        switch scalar.value {
        case 0x300...0x36F, 0x3099...0x309A, 0x200B...0x200F: total
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3,
            0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
            total + 2
        default: total + 1
        }
    }
}
