// A small logging interface for library code: levels and one process-wide sink.
//
// Library code (persister, sources, the composition root) logs through Log()/Logf() and never
// writes to stderr itself. The process sets the sink once at start (SetLogSink); the default sink
// writes each message as one line to stderr, so tools and daemons that set nothing print exactly
// what they printed before. Tests capture messages with ScopedLogCapture.
//
// Thread-safe: messages from any thread are delivered one at a time to the sink under a mutex.
// Never call it from the core's thread or a hot path: it formats, allocates and may block.
#ifndef ORACLE_CORE_LOG_H_
#define ORACLE_CORE_LOG_H_

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace oracle {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "DEBUG", "INFO", "WARNING", "ERROR".
std::string_view LogLevelName(LogLevel level) noexcept;

// Receives one complete message (no trailing newline). Called under the log mutex.
using LogSink = std::function<void(LogLevel level, std::string_view message)>;

// Replaces the process's sink; an empty function restores the default (stderr, one line each).
void SetLogSink(LogSink sink);

// Messages below `level` are dropped before formatting. Default: kInfo.
void SetMinLogLevel(LogLevel level) noexcept;

void Log(LogLevel level, std::string_view message);

// printf-style formatting; the result is passed to Log().
void Logf(LogLevel level, const char* format, ...) __attribute__((format(printf, 2, 3)));

// Test helper: while alive, every message (at any level) goes to this object instead of the sink
// that was set before; the previous sink and minimum level come back on destruction. Not nestable
// across threads: make one per test.
class ScopedLogCapture {
 public:
  struct Entry {
    LogLevel level;
    std::string message;
  };

  ScopedLogCapture();
  ~ScopedLogCapture();
  ScopedLogCapture(const ScopedLogCapture&) = delete;
  ScopedLogCapture& operator=(const ScopedLogCapture&) = delete;

  std::vector<Entry> entries() const;
  // True if any captured message contains `text`.
  bool Contains(std::string_view text) const;

 private:
  mutable std::mutex mu_;
  std::vector<Entry> entries_;
  LogSink previous_sink_;
  LogLevel previous_level_;
};

}  // namespace oracle

#endif  // ORACLE_CORE_LOG_H_
