#ifndef WETLINK_INGEST_DAEMON_STOP_SIGNAL_H_
#define WETLINK_INGEST_DAEMON_STOP_SIGNAL_H_

// How a run is asked to end: the first SIGINT/SIGTERM asks it to stop
// reading and finish the batches in flight; a second one to abandon them
// (the checkpoint keeps what was acknowledged). Waits of the run (backoff,
// the watch interval) wake up when asked. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace wetlink::ingest::daemon {

class StopSignal {
 public:
  // Read no more rows; finish what is in flight.
  void RequestStop();
  // Also give up on batches not yet acknowledged (implies RequestStop).
  void RequestAbort();

  bool stop_requested() const;
  bool abort_requested() const;

  // Sleeps for `duration` or until a stop is requested; true when a stop
  // was requested (before or during the wait).
  bool WaitForStop(std::chrono::milliseconds duration) const;
  // Sleeps for `duration` or until an abort is requested; true when an
  // abort was requested.
  bool WaitForAbort(std::chrono::milliseconds duration) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool stop_ = false;
  bool abort_ = false;
};

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_STOP_SIGNAL_H_
