// Minimal command-line parsing for oracled and oraclectl: "--name value", "--name=value" and
// boolean
// "--name". Unknown flags and missing values are errors that name the flag.
#ifndef ORACLE_CORE_CLI_ARGS_H_
#define ORACLE_CORE_CLI_ARGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace oracle {

class CliArgs {
 public:
  // Parses argv[start..argc). `value_flags` take a value, `bool_flags` do not (names without "--").
  CliArgs(int argc, char** argv, int start, const std::set<std::string>& value_flags,
          const std::set<std::string>& bool_flags);

  bool ok() const { return error_.empty(); }
  // What is wrong with the command line for a program that takes no positional arguments ("" if
  // nothing): the parse error or the first unexpected argument.
  std::string ProblemWithoutPositionals() const {
    if (!ok()) return error_;
    return positionals_.empty() ? "" : "unexpected argument " + positionals_[0];
  }
  const std::string& error() const { return error_; }
  const std::vector<std::string>& positionals() const { return positionals_; }
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
  std::string error_;
};

}  // namespace oracle

#endif  // ORACLE_CORE_CLI_ARGS_H_
