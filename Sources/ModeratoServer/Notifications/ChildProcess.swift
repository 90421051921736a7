import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program run with `posix_spawn`, its standard input a socket we write to.
///
/// Not Foundation's `Process`: a child started from a task thread inherits that thread's signal
/// mask, in which nearly every signal is blocked, so a hanging sendmail could not be stopped and
/// its own timers and pipes would misbehave. Here the child starts with no signal blocked and
/// every handler at its default, as from a shell.
struct ChildProcess: Sendable {
    let pid: pid_t

    /// Starts `executable` with `arguments`; `input` becomes its standard input, standard output is
    /// discarded, standard error is ours or discarded. `nil` with `errno` set when it cannot start.
    static func spawn(_ executable: String, arguments: [String], input: Int32, showsErrorOutput: Bool) -> ChildProcess? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if !showsErrorOutput {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else {
            errno = status
            return nil
        }
        return ChildProcess(pid: pid)
    }

    /// Waits for the exit status (128 + N when killed by signal N), or `nil` when `timeout`
    /// passes first: then the child is killed (and still reaped).
    func exitStatus(within timeout: Duration) async -> Int32? {
        let pid = self.pid
        let outcome = Mutex<(status: Int32?, waiter: CheckedContinuation<Int32?, Never>?, done: Bool)>((nil, nil, false))
        // waitpid blocks, so on a thread of its own rather than one the tasks share.
        let finish: @Sendable (Int32?) -> Void = { status in
            let waiter = outcome.withLock { state -> CheckedContinuation<Int32?, Never>? in
                guard !state.done else { return nil }
                state.done = true
                state.status = status
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: status)
        }
        Thread.detachNewThread {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
            let signal = raw & 0x7F
            finish(signal == 0 ? (raw >> 8) & 0xFF : 128 + signal)
        }
        Task {
            try? await Task.sleep(for: timeout)
            let running = outcome.withLock { !$0.done }
            if running {
                kill(pid, SIGKILL)
                finish(nil)
            }
        }
        return await withCheckedContinuation { continuation in
            let ready = outcome.withLock { state -> Int32?? in
                if state.done { return .some(state.status) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
