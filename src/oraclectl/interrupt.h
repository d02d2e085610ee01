// Ctrl-C and SIGTERM for oraclectl. They are blocked in every thread (gRPC's included) and taken
// by one thread with sigwait, which cancels the call in flight of a command that stops cleanly
// (watch, history, events, export): no gRPC call from a signal handler. For any other command,
// and on a second signal, the process ends at once as it would by default.
#ifndef ORACLE_SRC_ORACLECTL_INTERRUPT_H_
#define ORACLE_SRC_ORACLECTL_INTERRUPT_H_

#include <string>

namespace grpc {
class ClientContext;
}  // namespace grpc

namespace oracle::ctl {

// Call before any other thread exists.
void StartInterruptThread();

// The running command stops cleanly on Ctrl-C: it watches Interrupted() and its calls are
// cancelled.
void StopCleanlyOnInterrupt();

// A file to remove if a second signal ends the process ("": none).
void RemoveOnForcedExit(const std::string& path);

bool Interrupted();

// While alive, Ctrl-C cancels the call of `ctx` (at once if it already came). Declare it after
// the ClientContext so that it is destroyed first.
class InterruptibleCall {
 public:
  explicit InterruptibleCall(grpc::ClientContext* ctx);
  ~InterruptibleCall();
  InterruptibleCall(const InterruptibleCall&) = delete;
  InterruptibleCall& operator=(const InterruptibleCall&) = delete;
};

}  // namespace oracle::ctl

#endif  // ORACLE_SRC_ORACLECTL_INTERRUPT_H_
