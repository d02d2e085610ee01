// The permission table: one row per RPC, one column per role. The README's "Callers and roles"
// table is this one; auth_test checks every cell.
#include "oracle/auth/auth.h"

namespace oracle::auth {
namespace {

struct Row {
  std::string_view name;
  bool public_, margin_engine, keeper, auditor, operator_;
};

// clang-format off
constexpr std::array<Row, kNumRpcs> kTable = {{
    //  RPC                                     PUBLIC MARGIN KEEPER AUDITOR OPERATOR
    {"oracle.v1.OracleService/GetMark",          true,  true,  true,  false,  true},
    {"oracle.v1.OracleService/BatchGetMarks",    true,  true,  true,  false,  true},
    {"oracle.v1.OracleService/StreamMarks",      true,  true,  true,  false,  true},
    {"oracle.v1.OracleService/ListInstruments",  true,  true,  true,  true,   true},
    {"oracle.v1.OracleService/ListVenues",       true,  true,  true,  true,   true},
    {"oracle.v1.OracleService/GetServerStatus",  false, false, false, false,  true},
    {"oracle.v1.AuditService/ListMarks",         false, false, false, true,   true},
    {"oracle.v1.AuditService/GetMarkAt",         false, false, false, true,   true},
    {"oracle.v1.AuditService/GetTwap",           false, false, false, true,   true},
    {"oracle.v1.AuditService/ListEvents",        false, false, false, true,   true},
    {"oracle.v1.AuditService/VerifyMark",        false, false, false, true,   true},
}};
// clang-format on

}  // namespace

std::string_view RpcName(Rpc rpc) noexcept { return kTable[static_cast<size_t>(rpc)].name; }

bool Allowed(Role role, Rpc rpc) noexcept {
  const Row& row = kTable[static_cast<size_t>(rpc)];
  switch (role) {
    case Role::kPublic:
      return row.public_;
    case Role::kMarginEngine:
      return row.margin_engine;
    case Role::kKeeper:
      return row.keeper;
    case Role::kAuditor:
      return row.auditor;
    case Role::kOperator:
      return row.operator_;
  }
  return false;
}

bool SeesVenueErrors(Role role) noexcept { return role == Role::kOperator; }

}  // namespace oracle::auth
