// Real signed marks for canonical_mark_test.sh: replays a tick log through the real core with the
// default configuration and writes a varied sample of its marks (the first of each instrument,
// status, flag set and redemption choice), as protobuf JSON the way `oraclectl --json` prints
// them, each signed twice: encoding v2 (NNN.v2.json) and v1 (NNN.v1.json, as history written
// before v2 holds). Also a real mark given enum values no oracle.proto has (unknown-enums.*.json)
// and the public key (pub.pem). The key is fixed (a test key), so the output is deterministic.
//
// Usage: signed_marks_for_test TICKS.jsonl OUT_DIR
#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "oracle/api/mark_proto.h"
#include "oracle/config/config.h"
#include "oracle/replay/replay_runner.h"
#include "oracle/signing/mark_signer.h"

namespace {

using oracle::signing::MarkSigner;
using oracle::signing::SignedEncoding;

class Sampler : public oracle::EngineObserver {
 public:
  void OnMarkPublished(const oracle::Mark& mark) noexcept override {
    const auto key =
        std::make_tuple(mark.instrument, static_cast<int>(mark.status), mark.flags,
                        mark.redemption.present ? static_cast<int>(mark.redemption.choice) : -1);
    if (seen_.insert(key).second) marks.push_back(mark);
  }
  std::vector<oracle::Mark> marks;

 private:
  std::set<std::tuple<uint32_t, int, uint32_t, int>> seen_;
};

bool WriteJson(const std::string& path, const oracle::v1::Mark& mark) {
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(mark, &json, opts).ok()) return false;
  std::ofstream out(path);
  out << json << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: signed_marks_for_test TICKS.jsonl OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[2];
  auto config = oracle::LoadDefaultConfig();
  auto signer = MarkSigner::FromRawPrivateKey(std::string(32, '\x5a'), "test-publisher.eu-1");
  if (!config.ok() || !signer.ok()) {
    std::fprintf(stderr, "setup failed\n");
    return 1;
  }
  std::ifstream in(argv[1]);
  std::ostringstream out, diag;
  Sampler sampler;
  oracle::ReplayOptions opts;
  opts.extra_observer = &sampler;
  auto summary = oracle::RunReplay(*config, in, out, diag, opts);
  if (!summary.ok() || sampler.marks.empty()) {
    std::fprintf(stderr, "replay of %s failed or published nothing\n", argv[1]);
    return 1;
  }
  int n = 0;
  for (const oracle::Mark& m : sampler.marks) {
    oracle::v1::Mark proto;
    oracle::FillMarkProto(*config, m, /*full=*/true, &proto);
    char name[32];
    std::snprintf(name, sizeof(name), "%03d", n++);
    for (SignedEncoding e : {SignedEncoding::kV2, SignedEncoding::kV1}) {
      oracle::v1::Mark signed_mark = proto;
      if (!(*signer)->Sign(&signed_mark, e) ||
          !WriteJson(dir + "/" + name + (e == SignedEncoding::kV2 ? ".v2.json" : ".v1.json"),
                     signed_mark)) {
        return 1;
      }
    }
  }
  // A mark from a newer oracle: a status, a flag and a redemption choice this build has no name
  // for (protobuf JSON prints their numbers).
  oracle::v1::Mark unknown;
  oracle::FillMarkProto(*config, sampler.marks.back(), /*full=*/false, &unknown);
  unknown.set_status(static_cast<oracle::v1::MarkStatus>(9));
  unknown.clear_flags();
  unknown.add_flags(static_cast<oracle::v1::MarkFlag>(42));
  unknown.add_flags(oracle::v1::MARK_FLAG_OUTLIERS_PRESENT);
  unknown.mutable_redemption()->set_choice(static_cast<oracle::v1::RedemptionChoice>(7));
  for (SignedEncoding e : {SignedEncoding::kV2, SignedEncoding::kV1}) {
    oracle::v1::Mark signed_mark = unknown;
    if (!(*signer)->Sign(&signed_mark, e) ||
        !WriteJson(
            dir + (e == SignedEncoding::kV2 ? "/unknown-enums.v2.json" : "/unknown-enums.v1.json"),
            signed_mark)) {
      return 1;
    }
  }
  std::ofstream pem(dir + "/pub.pem");
  pem << (*signer)->public_key_pem();
  std::printf("%d real marks (of %llu published) signed v1 and v2 in %s\n", n,
              static_cast<unsigned long long>(summary->marks), dir.c_str());
  return pem ? 0 : 1;
}
