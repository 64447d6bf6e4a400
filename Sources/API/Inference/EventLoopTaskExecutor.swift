// API: a task executor that runs jobs on one NIO event loop.

import NIOCore

/// Runs the jobs of the tasks that prefer it (`withTaskExecutorPreference`) on `eventLoop`, one after the other,
/// among the loop's I/O: a task reading and writing a channel of that loop then never changes threads.
///
/// Only for tasks whose work between suspensions is short and never blocks — it holds up the loop's every other
/// channel while it runs — and for loops that outlive the tasks (a job enqueued on a loop that has shut down is
/// dropped, and its task never resumes): the servers' loops are NIO's singleton group, which never shuts down.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    /// An executor on `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
