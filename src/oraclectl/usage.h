// oraclectl's usage text (--help) and usage errors.
#ifndef ORACLE_SRC_ORACLECTL_USAGE_H_
#define ORACLE_SRC_ORACLECTL_USAGE_H_

#include <string>

namespace oracle::ctl {

// The text of `oraclectl --help`.
extern const char kUsage[];

// Prints "oraclectl: <why>" and the usage text to stderr; returns kExitUsage.
int Usage(const std::string& why);

}  // namespace oracle::ctl

#endif  // ORACLE_SRC_ORACLECTL_USAGE_H_
