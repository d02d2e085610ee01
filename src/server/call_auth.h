// The authorization of one call: its credentials read from the gRPC context (the `authorization`
// metadata, the verified client certificate's subject and SANs) and handed to auth::Authenticator.
// Private to the server module.
#ifndef ORACLE_SRC_SERVER_CALL_AUTH_H_
#define ORACLE_SRC_SERVER_CALL_AUTH_H_

#include <grpcpp/grpcpp.h>

#include <optional>

#include "oracle/api/errors.h"
#include "oracle/auth/auth.h"
#include "service_context.h"

namespace oracle {

// Who made the call and may they call `rpc`. Without an authenticator (or with authentication
// off) every caller is unrestricted. Reads the peer certificate only when certificate identities
// are configured and the call carries no token. On refusal the ApiError to fail the call with.
std::optional<ApiError> AuthorizeCall(const ServiceContext& ctx, grpc::ServerContextBase* context,
                                      auth::Rpc rpc, auth::Caller* caller);

// The max_age a read uses: the request's, else the caller's role default (server.auth
// role_defaults), else none.
DurationNs EffectiveMaxAge(const Config& config, const auth::Caller& caller,
                           DurationNs requested) noexcept;

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_CALL_AUTH_H_
