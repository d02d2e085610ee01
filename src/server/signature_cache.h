// Signs the marks the API serves, once per (instrument, sequence): Ed25519 is deterministic, so
// the cached signature is the one any signer with the key would make (and the one history stores).
// Readers of different instruments never contend; the core thread never comes here.
#ifndef ORACLE_SRC_SERVER_SIGNATURE_CACHE_H_
#define ORACLE_SRC_SERVER_SIGNATURE_CACHE_H_

#include <memory>
#include <mutex>
#include <string>

#include "oracle/signing/mark_signer.h"
#include "oracle/v1/oracle.pb.h"

namespace oracle {

class SignatureCache {
 public:
  // `signer` may be null: Sign() then does nothing.
  SignatureCache(const signing::MarkSigner* signer, size_t instruments)
      : signer_(signer), slots_(std::make_unique<Slot[]>(instruments)), size_(instruments) {}

  void Sign(uint32_t instrument, v1::Mark* mark) {
    if (signer_ == nullptr) return;
    if (instrument >= size_) {
      signer_->Sign(mark);
      return;
    }
    Slot& slot = slots_[instrument];
    std::lock_guard<std::mutex> lock(slot.mu);
    if (slot.sequence != mark->sequence() || slot.signature.empty()) {
      signer_->Sign(mark);
      slot.sequence = mark->sequence();
      slot.signature = mark->signature();
      return;
    }
    mark->set_key_id(signer_->key_id());
    mark->set_signature(slot.signature);
  }

 private:
  struct alignas(64) Slot {
    std::mutex mu;
    uint64_t sequence = 0;
    std::string signature;
  };
  const signing::MarkSigner* signer_;
  std::unique_ptr<Slot[]> slots_;
  size_t size_;
};

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_SIGNATURE_CACHE_H_
