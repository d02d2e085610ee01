#include "oracle/signing/signature_cache.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace oracle::signing {

SignatureCache::SignatureCache(const MarkSigner* signer, size_t instruments, SignFn sign)
    : signer_(signer),
      sign_(std::move(sign)),
      slots_(std::make_unique<Slot[]>(instruments)),
      size_(instruments) {}

bool SignatureCache::Sign(uint32_t instrument, v1::Mark* mark) {
  if (signer_ == nullptr) return true;
  if (instrument >= size_) return SignNow(mark);
  Slot& slot = slots_[instrument];
  {
    std::lock_guard<std::mutex> lock(slot.mu);
    if (slot.sequence == static_cast<uint64_t>(mark->sequence()) && !slot.signature.empty()) {
      auto* flags = mark->mutable_flags();
      flags->erase(std::remove(flags->begin(), flags->end(), v1::MARK_FLAG_SIGNING_FAILED),
                   flags->end());
      mark->set_publisher_id(signer_->publisher_id());
      mark->set_key_id(signer_->key_id());
      mark->set_signature(slot.signature);
      return true;
    }
  }
  // Sign outside the lock (tens of microseconds); the newest mark's signature is kept.
  if (!SignNow(mark)) return false;
  std::lock_guard<std::mutex> lock(slot.mu);
  if (static_cast<uint64_t>(mark->sequence()) > slot.sequence) {
    slot.sequence = static_cast<uint64_t>(mark->sequence());
    slot.signature = mark->signature();
  }
  return true;
}

bool SignatureCache::SignNow(v1::Mark* mark) {
  absl::Status st = sign_ ? sign_(*signer_, mark) : signer_->SignOrExplain(mark);
  if (st.ok() && !mark->signature().empty()) {
    signed_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  if (st.ok()) st = absl::InternalError("the signer returned no signature");
  mark->clear_publisher_id();
  mark->clear_key_id();
  mark->clear_signature();
  const auto& flags = mark->flags();
  if (std::find(flags.begin(), flags.end(), v1::MARK_FLAG_SIGNING_FAILED) == flags.end()) {
    mark->add_flags(v1::MARK_FLAG_SIGNING_FAILED);  // the highest number: the list stays sorted
  }
  failures_.fetch_add(1, std::memory_order_relaxed);
  std::string error = absl::StrCat("mark ", mark->instrument(), " sequence ", mark->sequence(),
                                   " went out unsigned: ", st.message());
  std::lock_guard<std::mutex> lock(error_mu_);
  last_error_ = std::move(error);
  return false;
}

SigningStats SignatureCache::stats() const {
  SigningStats s;
  s.enabled = signer_ != nullptr;
  if (signer_ != nullptr) s.key_id = signer_->key_id();
  s.signed_count = signed_.load(std::memory_order_relaxed);
  s.failure_count = failures_.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(error_mu_);
  s.last_error = last_error_;
  return s;
}

}  // namespace oracle::signing
