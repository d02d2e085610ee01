#include "oracle/export/export_format.h"

#include <charconv>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace oracle::ctl {
namespace {

std::string WithoutPrefix(std::string name, std::string_view prefix) {
  if (name.rfind(prefix, 0) == 0) name.erase(0, prefix.size());
  return name;
}

std::string OptionalDecimal(bool present, const v1::Decimal& d) {
  return present ? ExactDecimal(d) : "";
}

std::string OptionalTime(bool present, const google::protobuf::Timestamp& t) {
  return present ? Rfc3339Nanos(FromTimestamp(t)) : "";
}

}  // namespace

TimeNs FromTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() * kNanosPerSecond + t.nanos();
}

DurationNs FromDuration(const google::protobuf::Duration& d) {
  return d.seconds() * kNanosPerSecond + d.nanos();
}

void ToTimestamp(TimeNs t, google::protobuf::Timestamp* out) {
  int64_t secs = t / kNanosPerSecond;
  int64_t nanos = t % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --secs;
  }
  out->set_seconds(secs);
  out->set_nanos(static_cast<int32_t>(nanos));
}

bool ParseTimeArg(std::string_view text, TimeNs now, TimeNs* out) noexcept {
  if (text.empty()) return false;
  if (text[0] == '-') {
    DurationNs ago = 0;
    if (!ParseDurationFlag(text.substr(1), &ago) || ago < 0 || ago > now) return false;
    *out = now - ago;
    return true;
  }
  if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    TimeNs ns = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ns);
    if (ec != std::errc() || end != text.data() + text.size()) return false;
    *out = ns;
    return true;
  }
  return ParseRfc3339(text, out);
}

std::string Rfc3339Nanos(TimeNs t) {
  char buf[32];
  std::string s(buf, static_cast<size_t>(FormatRfc3339To(t, buf)));
  // FormatRfc3339To writes 3, 6 or 9 fractional digits before the 'Z'.
  const size_t point = s.find('.');
  const size_t digits = s.size() - 1 - (point + 1);
  s.insert(s.size() - 1, 9 - digits, '0');
  return s;
}

std::string ExactDecimal(int64_t mantissa, int32_t exponent) {
  if (exponent > 1000 || exponent < -1000) return absl::StrCat(mantissa, "e", exponent);
  const bool negative = mantissa < 0;
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(-(mantissa + 1)) + 1 : static_cast<uint64_t>(mantissa);
  std::string digits = absl::StrCat(magnitude);
  std::string out = negative ? "-" : "";
  if (exponent >= 0) {
    out += digits;
    if (magnitude != 0) out.append(static_cast<size_t>(exponent), '0');
    return out;
  }
  const size_t frac = static_cast<size_t>(-static_cast<int64_t>(exponent));
  if (digits.size() <= frac) {
    out += "0.";
    out.append(frac - digits.size(), '0');
    out += digits;
  } else {
    out.append(digits, 0, digits.size() - frac);
    out += '.';
    out.append(digits, digits.size() - frac, frac);
  }
  return out;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string EnumLabel(const std::string& name, std::string_view prefix, int number) {
  return name.empty() ? absl::StrCat(number) : WithoutPrefix(name, prefix);
}

std::string EventTypeName(v1::StoredEventType t) {
  return EnumLabel(v1::StoredEventType_Name(t), "STORED_EVENT_TYPE_", t);
}

std::string EventResultName(v1::EventResult r) {
  return EnumLabel(v1::EventResult_Name(r), "EVENT_RESULT_", r);
}

std::string MarkStatusName(v1::MarkStatus s) {
  std::string name = v1::MarkStatus_Name(s);
  return name.empty() ? absl::StrCat(static_cast<int>(s)) : WithoutPrefix(name, "MARK_STATUS_");
}

std::string MarkFlagName(int flag) {
  if (!v1::MarkFlag_IsValid(flag)) return absl::StrCat(flag);
  return WithoutPrefix(v1::MarkFlag_Name(static_cast<v1::MarkFlag>(flag)), "MARK_FLAG_");
}

std::string MarkCsvHeader() {
  return "instrument,publish_time,publish_time_ns,price,confidence,status,status_reason,flags,"
         "venues_used,venues_required,sequence,key_id,signature,publisher_id\n";
}

std::string MarkCsvRow(const v1::Mark& m) {
  std::string flags;
  for (int f : m.flags()) absl::StrAppend(&flags, flags.empty() ? "" : ";", MarkFlagName(f));
  return absl::StrCat(
      CsvField(m.instrument()), ",", OptionalTime(m.has_publish_time(), m.publish_time()), ",",
      m.has_publish_time() ? absl::StrCat(FromTimestamp(m.publish_time())) : "", ",",
      OptionalDecimal(m.has_price(), m.price()), ",",
      OptionalDecimal(m.has_confidence(), m.confidence()), ",", MarkStatusName(m.status()), ",",
      CsvField(m.status_reason()), ",", CsvField(flags), ",", m.used_venue_count(), ",",
      m.required_venue_count(), ",", m.sequence(), ",", CsvField(m.key_id()), ",",
      absl::Base64Escape(m.signature()), ",", CsvField(m.publisher_id()), "\n");
}

std::string EventCsvHeader() {
  return "sequence,type,venue,pair,rate_source,event_time,recv_time,price,size,bid,ask,"
         "venue_sequence,result\n";
}

std::string EventCsvRow(const v1::StoredEvent& e) {
  return absl::StrCat(
      e.sequence(), ",", CsvField(EventTypeName(e.type())), ",", CsvField(e.venue()), ",",
      CsvField(e.pair()), ",", CsvField(e.rate_source()), ",",
      OptionalTime(e.has_event_time(), e.event_time()), ",",
      OptionalTime(e.has_recv_time(), e.recv_time()), ",",
      OptionalDecimal(e.has_price(), e.price()), ",", OptionalDecimal(e.has_size(), e.size()), ",",
      OptionalDecimal(e.has_bid(), e.bid()), ",", OptionalDecimal(e.has_ask(), e.ask()), ",",
      e.venue_sequence(), ",", CsvField(EventResultName(e.result())), "\n");
}

}  // namespace oracle::ctl
