#include "oracle/core/cli_args.h"

namespace oracle {

CliArgs::CliArgs(int argc, char** argv, int start, const std::set<std::string>& value_flags,
                 const std::set<std::string>& bool_flags) {
  for (int i = start; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) positionals_.emplace_back(argv[i]);
      break;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (bool_flags.count(name)) {
      if (value) {
        error_ = "flag --" + name + " takes no value";
        return;
      }
      values_[name] = "true";
    } else if (value_flags.count(name)) {
      if (!value) {
        if (i + 1 >= argc) {
          error_ = "flag --" + name + " needs a value";
          return;
        }
        value = argv[++i];
      }
      values_[name] = *value;
    } else {
      error_ = "unknown flag --" + name;
      return;
    }
  }
}

std::optional<std::string> CliArgs::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string CliArgs::GetOr(const std::string& name, const std::string& fallback) const {
  auto v = Get(name);
  return v ? *v : fallback;
}

}  // namespace oracle
