// The per-call cost of authorization (auth::Authenticator::Authorize) without gRPC: no
// authentication configured (the default), a bearer token (SHA-256 of the token, a binary search
// in the token table), a refused token, and a certificate identity (a subject compare).
//
//   bench/auth_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "oracle/auth/auth.h"

namespace oracle::auth {
namespace {

// A token file of `n` identities; the caller's token is "token-0".
std::unique_ptr<Authenticator> TokenAuthenticator(int n) {
  const std::string path = "/tmp/auth_bench_tokens_" + std::to_string(getpid());
  {
    std::ofstream out(path);
    for (int i = 0; i < n; ++i) {
      out << "id-" << i << " MARGIN_ENGINE " << TokenDigestHex("token-" + std::to_string(i))
          << "\n";
    }
  }
  Config c;
  c.auth.tokens_file = path;
  auto a = Authenticator::Create(c);
  std::remove(path.c_str());
  if (!a.ok()) std::abort();
  return *std::move(a);
}

void BM_AuthorizeWithoutAuthentication(benchmark::State& state) {
  auto a = Authenticator::Create(Config());
  Caller caller;
  for (auto _ : state) {
    auto refused = (*a)->Authorize({}, Rpc::kGetMark, &caller);
    benchmark::DoNotOptimize(refused);
  }
}
BENCHMARK(BM_AuthorizeWithoutAuthentication);

void BM_AuthorizeBearerToken(benchmark::State& state) {
  auto a = TokenAuthenticator(static_cast<int>(state.range(0)));
  const std::string header = "Bearer token-0";
  Caller caller;
  for (auto _ : state) {
    auto refused = a->Authorize({.authorization = header}, Rpc::kGetMark, &caller);
    if (refused) state.SkipWithError("refused");
    benchmark::DoNotOptimize(caller);
  }
}
BENCHMARK(BM_AuthorizeBearerToken)->Arg(4)->Arg(10000);

void BM_AuthorizeUnknownToken(benchmark::State& state) {
  auto a = TokenAuthenticator(4);
  const std::string header = "Bearer not-issued";
  Caller caller;
  for (auto _ : state) {
    auto refused = a->Authorize({.authorization = header}, Rpc::kGetMark, &caller);
    benchmark::DoNotOptimize(refused);
  }
}
BENCHMARK(BM_AuthorizeUnknownToken);

void BM_AuthorizeCertificateSubject(benchmark::State& state) {
  Config c;
  for (int i = 0; i < 8; ++i) {
    c.auth.certificate_identities.push_back(
        {.subject = "CN=engine-" + std::to_string(i) + ",O=Exchange",
         .name = "engine-" + std::to_string(i),
         .role = Role::kMarginEngine});
  }
  auto a = Authenticator::Create(c);
  const std::vector<std::string> sans;
  const std::string subject = "CN=engine-7,O=Exchange";
  Caller caller;
  for (auto _ : state) {
    auto refused = (*a)->Authorize({.certificate_subject = subject, .certificate_sans = &sans},
                                   Rpc::kGetMark, &caller);
    if (refused) state.SkipWithError("refused");
    benchmark::DoNotOptimize(caller);
  }
}
BENCHMARK(BM_AuthorizeCertificateSubject);

}  // namespace
}  // namespace oracle::auth

BENCHMARK_MAIN();
