import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A full-screen session on the controlling terminal: raw keys, the alternate screen, the size,
/// resizes and signals — a small layer over termios and ANSI sequences (no curses).
///
/// Whatever ends the session — `restore()` after a normal exit, a thrown error, SIGINT, SIGTERM,
/// SIGHUP — puts the terminal back as it was: the saved termios settings, the cursor, the
/// ordinary screen with the shell's text on it.
public final class RawTerminal: Sendable {
    public struct Size: Sendable, Hashable {
        public var rows: Int
        public var columns: Int

        public init(rows: Int, columns: Int) {
            self.rows = rows
            self.columns = columns
        }
    }

    public enum Event: Sendable, Hashable {
        case key(TerminalKey)
        /// The window changed size (SIGWINCH): read `size()` again and redraw.
        case resized
        /// SIGINT, SIGTERM or SIGHUP arrived; the terminal has already been restored.
        case signal(Int32)
        /// The input ended or failed.
        case inputClosed
    }

    public enum Failure: Error, CustomStringConvertible {
        case notATerminal

        public var description: String { "standard input is not a terminal" }
    }

    private struct State {
        var saved: termios?
        var active = false
    }

    private let input: Int32
    private let output: Int32
    /// Also held while writing a frame, so a signal's restore cannot interleave with a frame and
    /// leave it drawn on the ordinary screen.
    private let state = Mutex<State>(State())
    /// Kept alive for as long as the session's events are read.
    private let signalSources = Mutex<SignalSources?>(nil)

    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.input = input
        self.output = output
    }

    /// Both standard input and standard output are terminals.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Raw mode (every key at once, no echo, Ctrl-C as a key), the alternate screen, no cursor.
    public func enter() throws {
        var original = termios()
        guard tcgetattr(input, &original) == 0 else { throw Failure.notATerminal }
        var raw = original
        cfmakeraw(&raw)
        guard tcsetattr(input, TCSADRAIN, &raw) == 0 else { throw Failure.notATerminal }
        state.withLock { state in
            state.saved = original
            state.active = true
            Self.send("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J", to: output)
        }
    }

    /// Puts the terminal back as `enter()` found it. Safe to call more than once, from any thread.
    public func restore() {
        state.withLock { state in
            guard state.active, var saved = state.saved else { return }
            state.active = false
            Self.send("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l", to: output)
            _ = tcsetattr(input, TCSADRAIN, &saved)
        }
    }

    /// Draws whole lines from the top of the screen, each cleared to its end, and clears the rest.
    /// Lines must already fit the width (`StyledLine.fitted`). Nothing is drawn once restored.
    public func draw(_ lines: [StyledLine], palette: Palette) {
        var frame = ""
        for (row, line) in lines.enumerated() {
            frame += "\u{1B}[\(row + 1);1H" + line.rendered(palette) + "\u{1B}[K"
        }
        if lines.count < size().rows {
            // Below the last line; on a full screen the cursor would stay on the last row and
            // this would erase it.
            frame += "\u{1B}[\(lines.count + 1);1H\u{1B}[J"
        }
        state.withLock { state in
            guard state.active else { return }
            Self.send(frame, to: output)
        }
    }

    /// The window's size; 80×24 when the terminal does not say.
    public func size() -> Size {
        var window = winsize()
        guard ioctl(output, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 else {
            return Size(rows: 24, columns: 80)
        }
        return Size(rows: Int(window.ws_row), columns: Int(window.ws_col))
    }

    /// Keys, resizes and signals, in the order they happen. Call once per session.
    public func events() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        let input = self.input
        // A blocking read on a thread of its own: the keyboard is idle most of the time.
        let reader = Thread {
            var decoder = KeyDecoder()
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    continuation.yield(.inputClosed)
                    return
                }
                for key in decoder.decode(buffer[0..<count]) {
                    continuation.yield(.key(key))
                }
            }
        }
        reader.start()

        let queue = DispatchQueue(label: "moderato.terminal.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] {
            // Dispatch delivers the signal; the default action (exit, for all but SIGWINCH) must
            // not run first and leave the terminal in raw mode.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                if number == SIGWINCH {
                    continuation.yield(.resized)
                } else {
                    restore()
                    continuation.yield(.signal(number))
                }
            }
            source.resume()
            sources.append(source)
        }
        let retained = SignalSources(sources)
        continuation.onTermination = { _ in retained.cancel() }
        signalSources.withLock { $0 = retained }
        return stream
    }

    private static func send(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// The signal sources of a session, kept alive together and cancelled together.
///
/// `@unchecked Sendable` because Dispatch's source objects are thread-safe (libdispatch
/// synchronises `cancel` and handler delivery itself) but corelibs-dispatch does not declare them
/// `Sendable`; the array is fixed when the box is made and never mutated.
private final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
