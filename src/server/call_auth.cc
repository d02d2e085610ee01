#include "call_auth.h"

#include <string>
#include <vector>

namespace oracle {
namespace {

std::string_view View(const grpc::string_ref& s) { return {s.data(), s.size()}; }

// The verified peer certificate's subject and SANs ("" / none without one).
void ReadPeerCertificate(grpc::ServerContextBase* context, std::string* subject,
                         std::vector<std::string>* sans) {
  std::shared_ptr<const grpc::AuthContext> auth = context->auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return;
  for (const grpc::string_ref& v : auth->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME)) {
    *subject = std::string(View(v));
  }
  for (const grpc::string_ref& v : auth->FindPropertyValues(GRPC_X509_SAN_PROPERTY_NAME)) {
    sans->emplace_back(View(v));
  }
}

}  // namespace

std::optional<ApiError> AuthorizeCall(const ServiceContext& ctx, grpc::ServerContextBase* context,
                                      auth::Rpc rpc, auth::Caller* caller) {
  if (ctx.auth == nullptr || !ctx.auth->enabled()) {
    *caller = auth::Caller{};
    return std::nullopt;
  }
  auth::Credentials credentials;
  const auto& metadata = context->client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    credentials.authorization = View(it->second);
  }
  std::string subject;
  std::vector<std::string> sans;
  if (credentials.authorization.empty() && ctx.auth->uses_certificates()) {
    ReadPeerCertificate(context, &subject, &sans);
    credentials.certificate_subject = subject;
    credentials.certificate_sans = &sans;
  }
  return ctx.auth->Authorize(credentials, rpc, caller);
}

DurationNs EffectiveMaxAge(const Config& config, const auth::Caller& caller,
                           DurationNs requested) noexcept {
  if (requested != 0 || caller.unrestricted) return requested;
  return config.auth.default_max_age[static_cast<size_t>(caller.role)];
}

}  // namespace oracle
