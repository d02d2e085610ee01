// Signs marks once per (instrument, sequence) for everyone who needs them signed: the API's
// readers and the history persister. Ed25519 is deterministic, so a cached signature is the one
// any signer with the key would make. One slot per instrument keeps the newest mark's signature
// (an older mark, e.g. the persister catching up, is signed without evicting it). Threads signing
// different instruments never contend; the core thread never comes here.
#ifndef ORACLE_SIGNING_SIGNATURE_CACHE_H_
#define ORACLE_SIGNING_SIGNATURE_CACHE_H_

#include <memory>
#include <mutex>
#include <string>

#include "oracle/signing/mark_signer.h"
#include "oracle/v1/oracle.pb.h"

namespace oracle::signing {

class SignatureCache {
 public:
  // `signer` may be null: Sign() then does nothing.
  SignatureCache(const MarkSigner* signer, size_t instruments)
      : signer_(signer), slots_(std::make_unique<Slot[]>(instruments)), size_(instruments) {}

  const MarkSigner* signer() const noexcept { return signer_; }

  // Sets mark->publisher_id, mark->key_id and mark->signature, signed with encoding v2 (nothing
  // without a signer).
  void Sign(uint32_t instrument, v1::Mark* mark) {
    if (signer_ == nullptr) return;
    if (instrument >= size_) {
      signer_->Sign(mark);
      return;
    }
    Slot& slot = slots_[instrument];
    {
      std::lock_guard<std::mutex> lock(slot.mu);
      if (slot.sequence == mark->sequence() && !slot.signature.empty()) {
        mark->set_publisher_id(signer_->publisher_id());
        mark->set_key_id(signer_->key_id());
        mark->set_signature(slot.signature);
        return;
      }
    }
    // Sign outside the lock (tens of microseconds); the newest mark's signature is kept.
    if (!signer_->Sign(mark)) return;
    std::lock_guard<std::mutex> lock(slot.mu);
    if (mark->sequence() > slot.sequence) {
      slot.sequence = mark->sequence();
      slot.signature = mark->signature();
    }
  }

 private:
  struct alignas(64) Slot {
    std::mutex mu;
    uint64_t sequence = 0;
    std::string signature;
  };
  const MarkSigner* signer_;
  std::unique_ptr<Slot[]> slots_;
  size_t size_;
};

}  // namespace oracle::signing

#endif  // ORACLE_SIGNING_SIGNATURE_CACHE_H_
