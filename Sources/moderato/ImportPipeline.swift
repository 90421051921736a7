import Foundation
import ModeratoImport

/// Reads an export on a thread of its own while the store writes what was read, so the two
/// halves of an import use both cores: reading and hashing a 200 MB export costs about half as
/// much CPU as storing it.
///
/// A bounded queue of batches between them keeps memory flat (and the two threads meet once per
/// batch, not per record); a failure on either side stops the other.
final class ImportPipeline: @unchecked Sendable {
    // @unchecked: every stored property below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var batches: [[ImportRecord]] = []
    private var finished: Result<ImportSkips, any Error>?
    private var cancelled = false
    private let batchSize: Int
    private let maxBatches: Int

    init(batchSize: Int = 512, maxBatches: Int = 8) {
        self.batchSize = batchSize
        self.maxBatches = maxBatches
    }

    /// Starts reading `reader` on a new thread.
    func start(_ reader: any CommentImportReader) {
        let batchSize = self.batchSize
        let thread = Thread { [self] in
            var batch: [ImportRecord] = []
            batch.reserveCapacity(batchSize)
            let result = Result {
                let skips = try reader.read { record in
                    batch.append(record)
                    if batch.count == batchSize {
                        try self.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try self.put(batch) }
                return skips
            }
            condition.lock()
            finished = result
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "moderato import reader"
        thread.start()
    }

    /// Hands every record to `body` in the reader's order; returns the reader's skips, or throws
    /// what the reader threw. If `body` throws, the reader is stopped and the error goes on.
    func drain(_ body: (ImportRecord) throws -> Void) throws -> ImportSkips {
        do {
            while let batch = try next() {
                for record in batch { try body(record) }
            }
        } catch {
            cancel()
            throw error
        }
        condition.lock()
        defer { condition.unlock() }
        return try finished!.get()
    }

    private func put(_ batch: [ImportRecord]) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= maxBatches, !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        batches.append(batch)
        condition.broadcast()
    }

    private func next() throws -> [ImportRecord]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty {
            if let finished {
                if case .failure(let error) = finished { throw error }
                return nil
            }
            condition.wait()
        }
        condition.broadcast()
        return batches.removeFirst()
    }

    private func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        // Wait for the reader to stop, so nothing reads the file after the command returns.
        condition.lock()
        while finished == nil { condition.wait() }
        condition.unlock()
    }
}
