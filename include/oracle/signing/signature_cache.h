// Signs marks once per (instrument, sequence) for everyone who needs them signed: the API's
// readers and the history persister. Ed25519 is deterministic, so a cached signature is the one
// any signer with the key would make. One slot per instrument keeps the newest mark's signature
// (an older mark, e.g. the persister catching up, is signed without evicting it). Threads signing
// different instruments never contend; the core thread never comes here.
//
// A mark that cannot be signed goes out unsigned with MARK_FLAG_SIGNING_FAILED (mark_signer.h),
// never silently unsigned; each such mark is counted and the last reason kept (stats(), shown in
// GetServerStatus.signing). Nothing is cached for it: the next reader tries again.
#ifndef ORACLE_SIGNING_SIGNATURE_CACHE_H_
#define ORACLE_SIGNING_SIGNATURE_CACHE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "oracle/signing/mark_signer.h"
#include "oracle/v1/oracle.pb.h"

namespace oracle::signing {

struct SigningStats {
  bool enabled = false;  // a signer is configured
  std::string key_id;
  uint64_t signed_count = 0;   // signatures made (a mark read by many is signed once)
  uint64_t failure_count = 0;  // marks that went out flagged MARK_FLAG_SIGNING_FAILED
  std::string last_error;      // the last failure: instrument, sequence and why
};

class SignatureCache {
 public:
  // How one mark is signed: signer.SignOrExplain(mark). Tests give one that fails.
  using SignFn = std::function<absl::Status(const MarkSigner& signer, v1::Mark* mark)>;

  // `signer` may be null: Sign() then does nothing. `sign` empty: MarkSigner::SignOrExplain.
  SignatureCache(const MarkSigner* signer, size_t instruments, SignFn sign = {});

  const MarkSigner* signer() const noexcept { return signer_; }

  // Sets mark->publisher_id, mark->key_id and mark->signature, signed with encoding v2 (nothing
  // without a signer; true). When signing fails: clears them, adds MARK_FLAG_SIGNING_FAILED to
  // mark->flags, counts it and returns false. Any thread.
  bool Sign(uint32_t instrument, v1::Mark* mark);

  SigningStats stats() const;

 private:
  struct alignas(64) Slot {
    std::mutex mu;
    uint64_t sequence = 0;
    std::string signature;
  };
  // Signs `mark` (no cache); on failure flags and counts it.
  bool SignNow(v1::Mark* mark);

  const MarkSigner* signer_;
  SignFn sign_;
  std::unique_ptr<Slot[]> slots_;
  size_t size_;
  std::atomic<uint64_t> signed_{0}, failures_{0};
  mutable std::mutex error_mu_;
  std::string last_error_;
};

}  // namespace oracle::signing

#endif  // ORACLE_SIGNING_SIGNATURE_CACHE_H_
