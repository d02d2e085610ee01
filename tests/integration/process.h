// Runs the project's binaries as real child processes for integration tests.
#ifndef ORACLE_TESTS_INTEGRATION_PROCESS_H_
#define ORACLE_TESTS_INTEGRATION_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace oracle::testing {

struct RunResult {
  int exit_code = -1;  // -1 if killed by a signal or timed out
  std::string out;
  std::string err;
};

// Runs argv to completion (killed after timeout_ms) and captures its output.
RunResult RunCommand(const std::vector<std::string>& argv, int timeout_ms = 30000);

// A long-running child (oracled). Its stdout/stderr go to files read back by Output().
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv);
  ~Child();  // SIGKILL if still running
  pid_t pid() const { return pid_; }
  // Sends `sig` and waits up to timeout_ms; returns the exit code, or -1 (killed/timeout).
  int Stop(int sig, int timeout_ms);
  bool Running();
  std::string Output() const;  // stdout + stderr so far

 private:
  pid_t pid_ = -1;
  std::string out_path_;
  bool reaped_ = false;
  int status_ = 0;
};

// Waits for a file to exist and hold an integer; returns it, or -1 on timeout.
int WaitForPortFile(const std::string& path, int timeout_ms);

std::string ReadFile(const std::string& path);

}  // namespace oracle::testing

#endif  // ORACLE_TESTS_INTEGRATION_PROCESS_H_
