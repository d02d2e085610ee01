#include "verify_signature.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "oracle/core/cli_args.h"
#include "oracle/signing/mark_signer.h"
#include "oracle/signing/read_mark_json.h"
#include "oracle/v1/oracle.pb.h"

namespace oracle::ctl {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

constexpr char kVerifyUsage[] =
    R"usage(usage: oraclectl verify-signature --public-key FILE [--mark-json FILE|-]
       oraclectl verify-signature --print-canonical [--mark-json FILE|-] [--public-key FILE]

Checks the Ed25519 signature of one mark, offline. The mark is protobuf JSON, as printed by
`oraclectl --json get INSTRUMENT`, read from FILE or from stdin ("-", the default).

  --public-key FILE   the oracle's public key PEM (a private key PEM works too)
  --mark-json FILE    the mark; "-" or absent: stdin
  --print-canonical   print the signed text of the mark to stdout (with the mark's key_id;
                      encoding v2 when the mark has a publisher_id, else v1), to verify it
                      with standard tools:
                        openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in canonical.txt \
                                        -sigfile sig.bin
                      with --public-key the result of the check goes to stderr

Prints "OK publisher_id=... key_id=... instrument=... sequence=..." ("OK key_id=... (encoding
v1)" for a mark signed before encoding v2) and exits 0 when the signature verifies;
otherwise prints the reason (UNSIGNED, KEY_MISMATCH or BAD_SIGNATURE) and exits 1.
Exit 2: usage error.
)usage";

int Usage(const std::string& why) {
  std::fprintf(stderr, "oraclectl verify-signature: %s\n\n%s", why.c_str(), kVerifyUsage);
  return kExitUsage;
}

int Fail(const std::string& why) {
  std::fprintf(stderr, "oraclectl verify-signature: %s\n", why.c_str());
  return kExitFailed;
}

}  // namespace

int RunVerifySignature(int argc, char** argv) {
  CliArgs args(argc, argv, 1, {"public-key", "mark-json"}, {"print-canonical", "help"});
  if (!args.ok()) return Usage(args.error());
  if (args.Has("help")) {
    std::fputs(kVerifyUsage, stdout);
    return kExitOk;
  }
  for (const std::string& p : args.positionals()) {
    if (p != "verify-signature") return Usage("unexpected argument " + p);
  }
  const bool print_canonical = args.Has("print-canonical");
  const std::optional<std::string> key_file = args.Get("public-key");
  if (!key_file && !print_canonical) return Usage("--public-key FILE is required");
  if (key_file && key_file->empty()) return Usage("--public-key needs a file name");
  const std::string mark_path = args.GetOr("mark-json", "-");
  if (mark_path.empty()) return Usage("--mark-json needs a file name (or - for stdin)");

  std::unique_ptr<signing::MarkVerifier> verifier;
  if (key_file) {
    auto v = signing::MarkVerifier::FromPemFile(*key_file);
    if (!v.ok()) return Fail(std::string(v.status().message()));
    verifier = std::move(*v);
  }

  const absl::StatusOr<v1::Mark> read = signing::ReadMarkJson(mark_path);
  if (!read.ok()) return Fail(std::string(read.status().message()));
  const v1::Mark& mark = *read;

  FILE* result_out = stdout;
  if (print_canonical) {
    const std::string text = signing::CanonicalMarkBytes(mark, mark.key_id());
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    if (!verifier) return kExitOk;
    result_out = stderr;
  }
  const absl::Status s = verifier->Verify(mark);
  if (!s.ok()) {
    std::fprintf(result_out, "%s\n", std::string(s.message()).c_str());
    return kExitFailed;
  }
  if (signing::EncodingOf(mark) == signing::SignedEncoding::kV2) {
    std::fprintf(result_out, "OK publisher_id=%s key_id=%s instrument=%s sequence=%llu\n",
                 mark.publisher_id().c_str(), mark.key_id().c_str(), mark.instrument().c_str(),
                 static_cast<unsigned long long>(mark.sequence()));
  } else {
    std::fprintf(result_out, "OK key_id=%s instrument=%s sequence=%llu (encoding v1)\n",
                 mark.key_id().c_str(), mark.instrument().c_str(),
                 static_cast<unsigned long long>(mark.sequence()));
  }
  return kExitOk;
}

}  // namespace oracle::ctl
