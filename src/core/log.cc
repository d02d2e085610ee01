#include "oracle/core/log.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <utility>

namespace oracle {
namespace {

std::mutex& LogMutex() {
  static std::mutex mu;
  return mu;
}

// Guarded by LogMutex().
LogSink& CurrentSink() {
  static LogSink sink;
  return sink;
}

std::atomic<int>& MinLevel() {
  static std::atomic<int> level{static_cast<int>(LogLevel::kInfo)};
  return level;
}

void WriteToStderr(std::string_view message) {
  std::fwrite(message.data(), 1, message.size(), stderr);
  std::fputc('\n', stderr);
}

}  // namespace

std::string_view LogLevelName(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "UNKNOWN";
}

void SetLogSink(LogSink sink) {
  std::lock_guard<std::mutex> lock(LogMutex());
  CurrentSink() = std::move(sink);
}

void SetMinLogLevel(LogLevel level) noexcept {
  MinLevel().store(static_cast<int>(level), std::memory_order_relaxed);
}

void Log(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < MinLevel().load(std::memory_order_relaxed)) return;
  std::lock_guard<std::mutex> lock(LogMutex());
  if (CurrentSink()) {
    CurrentSink()(level, message);
  } else {
    WriteToStderr(message);
  }
}

void Logf(LogLevel level, const char* format, ...) {
  if (static_cast<int>(level) < MinLevel().load(std::memory_order_relaxed)) return;
  char stack_buf[512];
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(stack_buf, sizeof(stack_buf), format, args);
  va_end(args);
  if (n < 0) {
    va_end(copy);
    Log(level, format);
    return;
  }
  if (static_cast<size_t>(n) < sizeof(stack_buf)) {
    va_end(copy);
    Log(level, std::string_view(stack_buf, static_cast<size_t>(n)));
    return;
  }
  std::string heap(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(heap.data(), heap.size(), format, copy);
  va_end(copy);
  heap.resize(static_cast<size_t>(n));
  Log(level, heap);
}

ScopedLogCapture::ScopedLogCapture()
    : previous_level_(static_cast<LogLevel>(MinLevel().load(std::memory_order_relaxed))) {
  {
    std::lock_guard<std::mutex> lock(LogMutex());
    previous_sink_ = std::move(CurrentSink());
    CurrentSink() = [this](LogLevel level, std::string_view message) {
      std::lock_guard<std::mutex> own(mu_);
      entries_.push_back(Entry{level, std::string(message)});
    };
  }
  SetMinLogLevel(LogLevel::kDebug);
}

ScopedLogCapture::~ScopedLogCapture() {
  SetMinLogLevel(previous_level_);
  std::lock_guard<std::mutex> lock(LogMutex());
  CurrentSink() = std::move(previous_sink_);
}

std::vector<ScopedLogCapture::Entry> ScopedLogCapture::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_;
}

bool ScopedLogCapture::Contains(std::string_view text) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Entry& e : entries_) {
    if (e.message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace oracle
