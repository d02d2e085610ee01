#include "oracle/export/export_format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace oracle::ctl {
namespace {

// 2026-11-22T10:00:00Z
constexpr TimeNs kNoon = 1795341600LL * kNanosPerSecond;

TEST(ParseTimeArgTest, AcceptsRfc3339WithAndWithoutFraction) {
  TimeNs t = 0;
  ASSERT_TRUE(ParseTimeArg("2026-11-22T10:00:00Z", 0, &t));
  EXPECT_EQ(t, kNoon);
  ASSERT_TRUE(ParseTimeArg("2026-11-22T10:00:00.25Z", 0, &t));
  EXPECT_EQ(t, kNoon + 250 * kNanosPerMilli);
  ASSERT_TRUE(ParseTimeArg("2026-11-22T10:00:00.000000001Z", 0, &t));
  EXPECT_EQ(t, kNoon + 1);
  ASSERT_TRUE(ParseTimeArg("2026-11-22T11:00:00+01:00", 0, &t));
  EXPECT_EQ(t, kNoon);
}

TEST(ParseTimeArgTest, AcceptsIntegerNanosecondsSinceEpoch) {
  TimeNs t = -1;
  ASSERT_TRUE(ParseTimeArg("1795341600000000000", 0, &t));
  EXPECT_EQ(t, kNoon);
  ASSERT_TRUE(ParseTimeArg("0", 0, &t));
  EXPECT_EQ(t, 0);
}

TEST(ParseTimeArgTest, RelativeTimesCountBackFromNow) {
  TimeNs t = 0;
  ASSERT_TRUE(ParseTimeArg("-5m", kNoon, &t));
  EXPECT_EQ(t, kNoon - 300 * kNanosPerSecond);
  ASSERT_TRUE(ParseTimeArg("-1h", kNoon, &t));
  EXPECT_EQ(t, kNoon - 3600 * kNanosPerSecond);
  ASSERT_TRUE(ParseTimeArg("-30s", kNoon, &t));
  EXPECT_EQ(t, kNoon - 30 * kNanosPerSecond);
  ASSERT_TRUE(ParseTimeArg("-1.5s", kNoon, &t));
  EXPECT_EQ(t, kNoon - 1500 * kNanosPerMilli);
}

TEST(ParseTimeArgTest, RejectsAnythingElse) {
  TimeNs t = 0;
  for (const char* bad :
       {"", "-", "yesterday", "-5", "5m", "-5x", "--5m", "2026-11-22", "2026-11-22T10:00:00",
        "2026-13-22T10:00:00Z", "12a", "99999999999999999999", "1.5", "+5m", " 5"}) {
    EXPECT_FALSE(ParseTimeArg(bad, kNoon, &t)) << bad;
  }
  // Further back than the epoch.
  EXPECT_FALSE(ParseTimeArg("-2h", kNanosPerSecond, &t));
}

TEST(Rfc3339NanosTest, AlwaysWritesNineFractionalDigits) {
  EXPECT_EQ(Rfc3339Nanos(kNoon), "2026-11-22T10:00:00.000000000Z");
  EXPECT_EQ(Rfc3339Nanos(kNoon + 250 * kNanosPerMilli), "2026-11-22T10:00:00.250000000Z");
  EXPECT_EQ(Rfc3339Nanos(kNoon + 1500), "2026-11-22T10:00:00.000001500Z");
  EXPECT_EQ(Rfc3339Nanos(kNoon + 123456789), "2026-11-22T10:00:00.123456789Z");
  EXPECT_EQ(Rfc3339Nanos(0), "1970-01-01T00:00:00.000000000Z");
}

TEST(Rfc3339NanosTest, RoundTripsThroughParseTimeArg) {
  std::mt19937_64 rng(20261122);
  std::uniform_int_distribution<TimeNs> dist(0, 4102444800LL * kNanosPerSecond);  // to 2100
  for (int i = 0; i < 10000; ++i) {
    const TimeNs t = dist(rng);
    TimeNs back = -1;
    ASSERT_TRUE(ParseTimeArg(Rfc3339Nanos(t), 0, &back)) << Rfc3339Nanos(t);
    EXPECT_EQ(back, t) << Rfc3339Nanos(t);
  }
}

TEST(ExactDecimalTest, WritesMantissaTimesPowerOfTenAtItsScale) {
  EXPECT_EQ(ExactDecimal(38001500, -4), "3800.1500");
  EXPECT_EQ(ExactDecimal(380015, -2), "3800.15");
  EXPECT_EQ(ExactDecimal(-5, -3), "-0.005");
  EXPECT_EQ(ExactDecimal(-65, -4), "-0.0065");
  EXPECT_EQ(ExactDecimal(15, 2), "1500");
  EXPECT_EQ(ExactDecimal(15, 0), "15");
  EXPECT_EQ(ExactDecimal(0, 3), "0");
  EXPECT_EQ(ExactDecimal(0, -2), "0.00");
  EXPECT_EQ(ExactDecimal(99951053, -8), "0.99951053");
  EXPECT_EQ(ExactDecimal(1, -18), "0.000000000000000001");
}

TEST(ExactDecimalTest, HandlesInt64Extremes) {
  EXPECT_EQ(ExactDecimal(std::numeric_limits<int64_t>::min(), -18), "-9.223372036854775808");
  EXPECT_EQ(ExactDecimal(std::numeric_limits<int64_t>::max(), -19), "0.9223372036854775807");
  EXPECT_EQ(ExactDecimal(std::numeric_limits<int64_t>::max(), 3), "9223372036854775807000");
}

TEST(ExactDecimalTest, HugeExponentsStayExactInScientificForm) {
  EXPECT_EQ(ExactDecimal(15, 2000), "15e2000");
  EXPECT_EQ(ExactDecimal(-15, -2000), "-15e-2000");
}

// Slow obvious reference: shift the decimal point in the mantissa's digit string.
std::string ReferenceDecimal(int64_t mantissa, int32_t exponent) {
  std::string digits = std::to_string(mantissa);
  std::string sign;
  if (digits[0] == '-') {
    sign = "-";
    digits.erase(0, 1);
  }
  if (exponent >= 0) return sign + (mantissa == 0 ? "0" : digits + std::string(exponent, '0'));
  const size_t frac = static_cast<size_t>(-exponent);
  if (digits.size() <= frac) digits = std::string(frac + 1 - digits.size(), '0') + digits;
  const size_t whole = digits.size() - frac;
  return sign + digits.substr(0, whole) + "." + digits.substr(whole);
}

TEST(ExactDecimalTest, MatchesDigitShiftReferenceOnRandomInputs) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int32_t> exp_dist(-18, 18);
  for (int i = 0; i < 20000; ++i) {
    const int64_t m = static_cast<int64_t>(rng()) >> (rng() % 64);
    const int32_t e = exp_dist(rng);
    ASSERT_EQ(ExactDecimal(m, e), ReferenceDecimal(m, e)) << m << "e" << e;
  }
}

TEST(CsvFieldTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("ETH-USD"), "ETH-USD");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField("OUTLIERS_PRESENT;QUOTE_CONVERTED"), "OUTLIERS_PRESENT;QUOTE_CONVERTED");
}

v1::Mark SampleMark() {
  v1::Mark m;
  m.set_instrument("USDE-USD");
  ToTimestamp(kNoon + 700015801, m.mutable_publish_time());
  m.mutable_price()->set_mantissa(99951053);
  m.mutable_price()->set_exponent(-8);
  m.mutable_confidence()->set_mantissa(9598);
  m.mutable_confidence()->set_exponent(-8);
  m.set_status(v1::MARK_STATUS_OK);
  m.set_status_reason("QUORUM_MET");
  m.add_flags(v1::MARK_FLAG_OUTLIERS_PRESENT);
  m.add_flags(v1::MARK_FLAG_QUOTE_CONVERTED);
  m.set_used_venue_count(6);
  m.set_required_venue_count(3);
  m.set_sequence(120);
  m.set_key_id("0123456789abcdef");
  m.set_signature(std::string("\x00\x01\xfe\xff", 4));
  m.set_publisher_id("oracle-eu-1");
  return m;
}

TEST(MarkCsvTest, RowHasOneFieldPerHeaderColumn) {
  EXPECT_EQ(MarkCsvHeader(),
            "instrument,publish_time,publish_time_ns,price,confidence,status,status_reason,flags,"
            "venues_used,venues_required,sequence,key_id,signature,publisher_id\n");
  EXPECT_EQ(MarkCsvRow(SampleMark()),
            "USDE-USD,2026-11-22T10:00:00.700015801Z,1795341600700015801,0.99951053,0.00009598,OK,"
            "QUORUM_MET,OUTLIERS_PRESENT;QUOTE_CONVERTED,6,3,120,0123456789abcdef,AAH+/w==,"
            "oracle-eu-1\n");
}

TEST(MarkCsvTest, UnavailableMarkLeavesPriceEmpty) {
  v1::Mark m;
  m.set_instrument("BTC-USD");
  ToTimestamp(kNoon, m.mutable_publish_time());
  m.set_status(v1::MARK_STATUS_UNAVAILABLE);
  m.set_status_reason("NO_DATA_YET");
  m.set_required_venue_count(3);
  m.set_sequence(1);
  EXPECT_EQ(MarkCsvRow(m),
            "BTC-USD,2026-11-22T10:00:00.000000000Z,1795341600000000000,,,UNAVAILABLE,NO_DATA_YET,,"
            "0,3,1,,,\n");
}

TEST(MarkCsvTest, UnknownEnumValuesAreWrittenAsNumbers) {
  v1::Mark m = SampleMark();
  m.set_status(static_cast<v1::MarkStatus>(42));
  m.clear_flags();
  m.add_flags(static_cast<v1::MarkFlag>(99));
  const std::string row = MarkCsvRow(m);
  EXPECT_NE(row.find(",42,QUORUM_MET,99,"), std::string::npos) << row;
}

TEST(EventCsvTest, TradeQuoteAndRateRows) {
  EXPECT_EQ(EventCsvHeader(),
            "sequence,type,venue,pair,rate_source,event_time,recv_time,price,size,bid,ask,"
            "venue_sequence,result\n");
  v1::StoredEvent trade;
  trade.set_sequence(7);
  trade.set_type(v1::STORED_EVENT_TYPE_TRADE);
  trade.set_venue("binance");
  trade.set_pair("ETH-USDT");
  ToTimestamp(kNoon, trade.mutable_event_time());
  ToTimestamp(kNoon + 1500000, trade.mutable_recv_time());
  trade.mutable_price()->set_mantissa(380015);
  trade.mutable_price()->set_exponent(-2);
  trade.mutable_size()->set_mantissa(5000);
  trade.mutable_size()->set_exponent(-4);
  trade.set_venue_sequence(991);
  trade.set_result(v1::EVENT_RESULT_ACCEPTED);
  EXPECT_EQ(EventCsvRow(trade),
            "7,TRADE,binance,ETH-USDT,,2026-11-22T10:00:00.000000000Z,"
            "2026-11-22T10:00:00.001500000Z,3800.15,0.5000,,,991,ACCEPTED\n");

  v1::StoredEvent quote;
  quote.set_sequence(8);
  quote.set_type(v1::STORED_EVENT_TYPE_QUOTE);
  quote.set_venue("kraken");
  quote.set_pair("ETH-USD");
  quote.mutable_bid()->set_mantissa(380010);
  quote.mutable_bid()->set_exponent(-2);
  quote.mutable_ask()->set_mantissa(380020);
  quote.mutable_ask()->set_exponent(-2);
  quote.set_result(static_cast<v1::EventResult>(42));  // newer than this build: its number
  EXPECT_EQ(EventCsvRow(quote), "8,QUOTE,kraken,ETH-USD,,,,,,3800.10,3800.20,0,42\n");

  v1::StoredEvent rate;
  rate.set_sequence(9);
  rate.set_type(v1::STORED_EVENT_TYPE_RATE);
  rate.set_pair("WSTETH-STETH");
  rate.set_rate_source("lido");
  rate.mutable_price()->set_mantissa(1219876543210987654);
  rate.mutable_price()->set_exponent(-18);
  rate.set_result(v1::EVENT_RESULT_RATE_STORED);
  EXPECT_EQ(EventCsvRow(rate),
            "9,RATE,,WSTETH-STETH,lido,,,1.219876543210987654,,,,0,RATE_STORED\n");
}

TEST(TimestampTest, ToTimestampAndBack) {
  google::protobuf::Timestamp ts;
  ToTimestamp(kNoon + 123, &ts);
  EXPECT_EQ(ts.seconds(), 1795341600);
  EXPECT_EQ(ts.nanos(), 123);
  EXPECT_EQ(FromTimestamp(ts), kNoon + 123);
}

}  // namespace
}  // namespace oracle::ctl
