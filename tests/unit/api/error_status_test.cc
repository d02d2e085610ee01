// The one ApiError -> google.rpc.Status mapping: which details each reason carries.
#include "oracle/api/error_status.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "oracle/api/errors.h"

namespace oracle {
namespace {

constexpr int kInvalidArgument = 3;
constexpr int kUnavailable = 14;

struct Unpacked {
  google::rpc::ErrorInfo info;
  bool has_info = false;
  google::rpc::RetryInfo retry;
  bool has_retry = false;
  google::rpc::BadRequest bad;
  bool has_bad = false;
};

Unpacked Unpack(const google::rpc::Status& s) {
  Unpacked u;
  for (const auto& any : s.details()) {
    if (any.UnpackTo(&u.info)) u.has_info = true;
    if (any.Is<google::rpc::RetryInfo>()) u.has_retry = any.UnpackTo(&u.retry);
    if (any.Is<google::rpc::BadRequest>()) u.has_bad = any.UnpackTo(&u.bad);
  }
  return u;
}

TEST(ErrorStatus, EveryReasonHasErrorInfoWithItsNameAndTheDomain) {
  for (int r = 0; r < kNumErrorReasons; ++r) {
    const auto reason = static_cast<ErrorReason>(r);
    google::rpc::Status s;
    FillErrorStatus(ApiError{reason, "why", "field"}, &s);
    const std::string name(ErrorReasonName(reason));
    EXPECT_NE(name, "UNKNOWN") << r;
    EXPECT_EQ(s.code(), ErrorGrpcCode(reason)) << name;
    EXPECT_EQ(s.message(), name + ": why");
    Unpacked u = Unpack(s);
    ASSERT_TRUE(u.has_info) << name;
    EXPECT_EQ(u.info.reason(), name);
    EXPECT_EQ(u.info.domain(), "oracle.markoracle.org");
    // RetryInfo exactly where retrying helps; BadRequest exactly for INVALID_ARGUMENT.
    EXPECT_EQ(u.has_retry, ErrorRetryDelayNs(reason) > 0) << name;
    EXPECT_EQ(u.has_bad, s.code() == kInvalidArgument) << name;
    // AIP-193: UNAVAILABLE means "try again": every UNAVAILABLE reason says when.
    if (s.code() == kUnavailable) {
      EXPECT_TRUE(u.has_retry) << name;
    }
  }
}

TEST(ErrorStatus, RetryableReasonsAndTheirDelays) {
  EXPECT_EQ(ErrorRetryDelayNs(ErrorReason::kMarkUnavailable), 1'000'000'000);
  EXPECT_EQ(ErrorRetryDelayNs(ErrorReason::kServerShuttingDown), 1'000'000'000);
  EXPECT_EQ(ErrorRetryDelayNs(ErrorReason::kHistoryUnavailable), 2'000'000'000);
  EXPECT_EQ(ErrorRetryDelayNs(ErrorReason::kTooManySubscriptions), 5'000'000'000);
  EXPECT_EQ(ErrorRetryDelayNs(ErrorReason::kInstrumentNotFound), 0);
  EXPECT_EQ(ErrorRetryDelayNs(ErrorReason::kMarkStale), 0);
  EXPECT_EQ(ErrorRetryDelayNs(ErrorReason::kHistoryNotConfigured), 0);
  EXPECT_EQ(ErrorGrpcCode(ErrorReason::kHistoryNotConfigured), 9);  // FAILED_PRECONDITION
  EXPECT_EQ(ErrorGrpcCode(ErrorReason::kServerShuttingDown), kUnavailable);
}

TEST(ErrorStatus, CarriesMetadataFieldAndDelay) {
  ApiError e{.reason = ErrorReason::kBatchTooLarge,
             .message = "instruments: 1001 names, at most 1000 per call",
             .field = "instruments",
             .metadata = {{"maxInstrumentsPerCall", "1000"}}};
  google::rpc::Status s;
  ASSERT_TRUE(s.ParseFromString(SerializedErrorStatus(e)));
  Unpacked u = Unpack(s);
  EXPECT_EQ(u.info.metadata().at("maxInstrumentsPerCall"), "1000");
  ASSERT_EQ(u.bad.field_violations_size(), 1);
  EXPECT_EQ(u.bad.field_violations(0).field(), "instruments");
  EXPECT_EQ(u.bad.field_violations(0).description(), e.message);

  google::rpc::Status retry;
  FillErrorStatus(ApiError{ErrorReason::kTooManySubscriptions, "full"}, &retry);
  u = Unpack(retry);
  ASSERT_TRUE(u.has_retry);
  EXPECT_EQ(u.retry.retry_delay().seconds(), 5);
  EXPECT_EQ(u.retry.retry_delay().nanos(), 0);
}

}  // namespace
}  // namespace oracle
