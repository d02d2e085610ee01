#include "render.h"

#include <cstdio>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "oracle/core/decimal.h"
#include "oracle/export/export_format.h"

namespace oracle::ctl {
namespace {

std::string ExclusionText(v1::ExclusionReason r) {
  std::string s = v1::ExclusionReason_Name(r);
  const std::string prefix = "EXCLUSION_REASON_";
  if (s.rfind(prefix, 0) == 0) s = s.substr(prefix.size());
  return s;
}

std::string FlagText(int f) {
  std::string s = v1::MarkFlag_Name(static_cast<v1::MarkFlag>(f));
  const std::string prefix = "MARK_FLAG_";
  if (s.rfind(prefix, 0) == 0) s = s.substr(prefix.size());
  return s;
}

std::string Percent(const v1::Decimal& d) {
  // weight fraction -> "23.1%"
  int64_t bp = 0;
  if (!RescaleMantissa(d.mantissa(), d.exponent(), -4, &bp)) return "?";
  return absl::StrFormat("%.1f%%", static_cast<double>(bp) / 100.0);
}

std::string OptionalDecimalText(bool present, const v1::Decimal& d) {
  return present ? DecimalText(d) : "-";
}

std::string FlagsText(const v1::Mark& m) {
  std::string flags;
  for (int f : m.flags()) absl::StrAppend(&flags, flags.empty() ? "" : ",", FlagText(f));
  return flags;
}

std::string StatusWithReason(const v1::Mark& m) {
  return m.status_reason().empty()
             ? StatusText(m.status())
             : absl::StrCat(StatusText(m.status()), " (", m.status_reason(), ")");
}

std::string WithoutTrailingSpace(std::string line) {
  absl::StripTrailingAsciiWhitespace(&line);
  return line;
}

}  // namespace

std::string DecimalText(const v1::Decimal& d) { return FormatDecimal(d.mantissa(), d.exponent()); }

std::string StatusText(v1::MarkStatus s) {
  std::string n = v1::MarkStatus_Name(s);
  const std::string prefix = "MARK_STATUS_";
  if (n.rfind(prefix, 0) == 0) n = n.substr(prefix.size());
  return n;
}

std::string MarkLine(const v1::Mark& m, TimeNs now) {
  std::string price = m.has_price()
                          ? absl::StrCat(DecimalText(m.price()), " ± ", DecimalText(m.confidence()))
                          : "(no price)";
  DurationNs age = now - FromTimestamp(m.publish_time());
  std::string venues = m.sources_size() > 0
                           ? absl::StrCat(m.used_venue_count(), "/", m.sources_size())
                           : absl::StrCat(m.used_venue_count());
  std::string line = absl::StrFormat(
      "%-10s %-28s %-11s venues %s (min %u)  seq %llu  %s ago", m.instrument(), price,
      StatusText(m.status()), venues, m.required_venue_count(),
      static_cast<unsigned long long>(m.sequence()), FormatDurationHuman(age < 0 ? 0 : age));
  if (m.status() != v1::MARK_STATUS_OK && !m.status_reason().empty()) {
    absl::StrAppend(&line, "  [", m.status_reason(), "]");
  }
  if (m.flags_size() > 0) {
    std::string flags;
    for (int f : m.flags()) absl::StrAppend(&flags, flags.empty() ? "" : ",", FlagText(f));
    absl::StrAppend(&line, "  flags: ", flags);
  }
  return line;
}

std::string MarkDetail(const v1::Mark& m, TimeNs now) {
  std::string out = MarkLine(m, now) + "\n";
  absl::StrAppend(&out, "  published ", FormatRfc3339(FromTimestamp(m.publish_time())));
  if (m.has_last_good_time() && m.status() == v1::MARK_STATUS_STALE) {
    absl::StrAppend(&out, ", last good price at ",
                    FormatRfc3339(FromTimestamp(m.last_good_time())));
  }
  absl::StrAppend(&out, "\n");
  if (m.sources_size() == 0) return out;
  absl::StrAppend(&out, absl::StrFormat("  %-10s %-11s %-18s %-8s %-9s %-8s %s\n", "venue", "pair",
                                        "price", "weight", "age", "dev bps", "status"));
  for (const auto& s : m.sources()) {
    std::string status = s.exclusion() == v1::EXCLUSION_REASON_NONE
                             ? (s.outlier() ? "used, OUTLIER" : "used")
                             : "excluded: " + ExclusionText(s.exclusion());
    std::string price =
        s.has_price()
            ? DecimalText(s.price())
            : (s.has_native_price() ? DecimalText(s.native_price()) + " (" + s.pair() + ")" : "-");
    std::string age = s.has_age() ? FormatDurationHuman(FromDuration(s.age())) : "-";
    absl::StrAppend(
        &out,
        absl::StrFormat(
            "  %-10s %-11s %-18s %-8s %-9s %-8s %s\n", s.venue(), s.pair(), price,
            s.exclusion() == v1::EXCLUSION_REASON_NONE ? Percent(s.weight()) : "-", age,
            s.exclusion() == v1::EXCLUSION_REASON_NONE ? absl::StrCat(s.deviation_bps()) : "-",
            status));
  }
  return out;
}

std::string InstrumentsTable(const v1::ListInstrumentsResponse& r) {
  std::string out = absl::StrFormat("%-10s %-10s %-7s %-6s %-9s %s\n", "instrument", "pricing",
                                    "window", "quorum", "outlier", "sources (venue:weight)");
  for (const auto& i : r.instruments()) {
    std::string sources;
    for (const auto& s : i.sources()) {
      absl::StrAppend(&sources, sources.empty() ? "" : " ", s.venue(), ":", s.weight(),
                      s.convert_via().empty() ? "" : absl::StrCat(" (", s.pair(), ")"));
    }
    std::string pricing = i.pricing() == v1::PRICING_METHOD_REDEMPTION
                              ? absl::StrCat("redeem:", i.redemption_ratio_pair())
                              : "market";
    absl::StrAppend(
        &out,
        absl::StrFormat("%-10s %-10s %-7s %-6u %-9s %s\n", i.name(), pricing,
                        FormatDurationHuman(FromDuration(i.methodology().twap_window())),
                        i.methodology().min_venue_count(),
                        absl::StrCat(i.methodology().outlier_threshold_bps(), "bp"), sources));
    if (i.has_redemption()) {
      const v1::RedemptionSettings& rs = i.redemption();
      absl::StrAppend(
          &out,
          absl::StrFormat(
              "           %s of %s; ratio %s..%s, growth cap %ubp/yr%s, max age %s; "
              "depeg: %u venues %ubp below for %s\n",
              EnumLabel(v1::RedemptionPolicy_Name(rs.policy()), "REDEMPTION_POLICY_", rs.policy()),
              i.redemption_underlying(), DecimalText(rs.min_ratio()), DecimalText(rs.max_ratio()),
              rs.max_yearly_growth_bps(),
              rs.has_snapshot_ratio() ? absl::StrCat(" from ", DecimalText(rs.snapshot_ratio()))
                                      : "",
              FormatDurationHuman(FromDuration(rs.max_ratio_age())), rs.depeg_min_venue_count(),
              rs.depeg_threshold_bps(),
              FormatDurationHuman(FromDuration(rs.depeg_min_duration()))));
    }
  }
  return out;
}

std::string VenuesTable(const v1::ListVenuesResponse& r) {
  std::string out =
      absl::StrFormat("%-10s %-9s %-10s %-10s %-9s %-9s %-8s %s\n", "venue", "connected",
                      "last msg", "messages", "rejected", "excluded", "dropped", "sources");
  for (const auto& v : r.venues()) {
    absl::StrAppend(
        &out, absl::StrFormat("%-10s %-9s %-10s %-10llu %-9llu %-9llu %-8llu %d\n", v.name(),
                              v.connected() ? "yes" : "no",
                              v.has_last_message_age()
                                  ? FormatDurationHuman(FromDuration(v.last_message_age())) + " ago"
                                  : "never",
                              static_cast<unsigned long long>(v.message_count()),
                              static_cast<unsigned long long>(v.rejected_frame_count()),
                              static_cast<unsigned long long>(v.excluded_count()),
                              static_cast<unsigned long long>(v.dropped_event_count()),
                              v.source_count()));
  }
  return out;
}

namespace {

// One rate provider: its kind, and its polls and endpoints unless it is constant or not polled.
std::string RateProviderLine(const v1::RateProviderStatus& rp) {
  std::string line = absl::StrFormat(
      "rate provider %s (%s, %s): ", rp.name(), rp.pair(),
      EnumLabel(v1::RateProviderKind_Name(rp.kind()), "RATE_PROVIDER_KIND_", rp.kind()));
  if (rp.kind() == v1::RATE_PROVIDER_KIND_CONSTANT) {
    absl::StrAppend(&line, "constant ", DecimalText(rp.last_ratio()));
  } else if (!rp.polled()) {
    absl::StrAppend(&line, "not polled (no endpoints, or not --live)");
  } else {
    absl::StrAppend(&line,
                    absl::StrFormat("%llu polls, %llu failed, %llu disagreed, last ratio %s",
                                    static_cast<unsigned long long>(rp.poll_count()),
                                    static_cast<unsigned long long>(rp.failure_count()),
                                    static_cast<unsigned long long>(rp.disagreement_count()),
                                    rp.pushed_count() > 0 ? DecimalText(rp.last_ratio()) : "none"));
    for (const auto& e : rp.endpoints()) {
      absl::StrAppend(&line, "; ", e.endpoint(), e.ok() ? " ok" : " failing");
    }
    if (!rp.last_error().empty()) absl::StrAppend(&line, "; last error: ", rp.last_error());
  }
  return line;
}

// The history store's state and counters ("history: off" without one).
std::string HistoryText(const v1::PersistenceStatus& h) {
  std::string out;
  if (h.state() == v1::PERSISTENCE_STATE_UNSPECIFIED ||
      h.state() == v1::PERSISTENCE_STATE_DISABLED) {
    absl::StrAppend(&out, "history: off (no history { data_dir })\n");
  } else {
    absl::StrAppend(
        &out, absl::StrFormat(
                  "history: %s in %s; acknowledged through event %llu; written %llu events, "
                  "%llu marks, %llu checkpoints; %llu records dropped, %llu gaps, %llu write "
                  "failures; ring %llu of %llu bytes\n",
                  EnumLabel(v1::PersistenceState_Name(h.state()), "PERSISTENCE_STATE_", h.state()),
                  h.data_dir(), static_cast<unsigned long long>(h.persisted_sequence()),
                  static_cast<unsigned long long>(h.written_event_count()),
                  static_cast<unsigned long long>(h.written_mark_count()),
                  static_cast<unsigned long long>(h.written_checkpoint_count()),
                  static_cast<unsigned long long>(h.dropped_record_count()),
                  static_cast<unsigned long long>(h.gap_count()),
                  static_cast<unsigned long long>(h.write_failure_count()),
                  static_cast<unsigned long long>(h.used_ring_bytes()),
                  static_cast<unsigned long long>(h.ring_capacity_bytes())));
    if (h.recovered_sequence() > 0) {
      absl::StrAppend(
          &out, absl::StrFormat("  at start: %llu events stored; restored the checkpoint "
                                "at %llu and replayed %llu events\n",
                                static_cast<unsigned long long>(h.recovered_sequence()),
                                static_cast<unsigned long long>(h.restored_checkpoint_sequence()),
                                static_cast<unsigned long long>(h.replayed_event_count())));
    }
    if (!h.last_error().empty()) absl::StrAppend(&out, "  last error: ", h.last_error(), "\n");
  }
  return out;
}

// "serving: SERVING; ready at <time>; last timer 80ms ago; 0 stalls" (README "Health and
// drain").
std::string ServingText(const v1::ServingHealth& h) {
  std::string ready = h.has_ready_time()
                          ? absl::StrCat("ready at ", FormatRfc3339(FromTimestamp(h.ready_time())))
                          : "no round of marks yet";
  return absl::StrFormat("serving: %s; %s; last timer %s ago; %lld stalls\n",
                         EnumLabel(v1::ServingState_Name(h.state()), "SERVING_STATE_", h.state()),
                         ready, FormatDurationHuman(FromDuration(h.since_last_timer())),
                         static_cast<long long>(h.stall_count()));
}

// "clock: no steps" or the newest step of the server's wall clock and whether marks are flagged.
std::string ClockLine(const v1::ClockStatus& c) {
  if (c.step_count() == 0) return "clock: no steps of the wall clock\n";
  const DurationNs step = FromDuration(c.last_step());
  return absl::StrCat("clock: ", c.step_count(), c.step_count() == 1 ? " step" : " steps",
                      " of the wall clock, last ", step >= 0 ? "forward " : "back ",
                      FormatDurationHuman(step >= 0 ? step : -step), " at ",
                      FormatRfc3339(FromTimestamp(c.last_step_time())),
                      c.stepping() ? "; marks flagged CLOCK_STEP now\n" : "\n");
}

}  // namespace

std::string StatusText(const v1::ServerStatus& s, TimeNs now) {
  std::string out = absl::StrFormat(
      "up %s (since %s), configuration %s\n"
      "core: %llu events applied; ticks %llu accepted, %llu rejected, %llu out of order; "
      "%llu marks published (%llu early); %llu publication cycles skipped\n"
      "open streams: %u\n",
      FormatDurationHuman(now - FromTimestamp(s.start_time())),
      FormatRfc3339(FromTimestamp(s.start_time())), s.config_source(),
      static_cast<unsigned long long>(s.applied_event_count()),
      static_cast<unsigned long long>(s.accepted_tick_count()),
      static_cast<unsigned long long>(s.rejected_tick_count()),
      static_cast<unsigned long long>(s.out_of_order_tick_count()),
      static_cast<unsigned long long>(s.published_mark_count()),
      static_cast<unsigned long long>(s.early_publish_count()),
      static_cast<unsigned long long>(s.skipped_timer_count()), s.open_stream_count());
  absl::StrAppend(&out, ServingText(s.serving()));
  absl::StrAppend(&out, ClockLine(s.clock()));
  absl::StrAppend(&out, absl::StrFormat("%-12s %-10s %-12s %-12s %s\n", "producer", "venue",
                                        "pushed", "consumed", "dropped (ring full)"));
  for (const auto& p : s.producers()) {
    absl::StrAppend(&out, absl::StrFormat("%-12s %-10s %-12llu %-12llu %llu\n", p.name(),
                                          p.venue().empty() ? "(several)" : p.venue(),
                                          static_cast<unsigned long long>(p.pushed_count()),
                                          static_cast<unsigned long long>(p.consumed_count()),
                                          static_cast<unsigned long long>(p.dropped_count())));
  }
  std::map<std::string, uint64_t> errors(s.request_error_counts().begin(),
                                         s.request_error_counts().end());
  std::string errs;
  for (const auto& [reason, n] : errors) {
    if (n > 0) absl::StrAppend(&errs, errs.empty() ? "" : ", ", reason, " ", n);
  }
  absl::StrAppend(&out, "request errors: ", errs.empty() ? "none" : errs, "\n");
  for (const auto& rp : s.rate_providers()) absl::StrAppend(&out, RateProviderLine(rp), "\n");
  absl::StrAppend(&out, HistoryText(s.persistence()));
  return out;
}

std::string MarkHistoryHeader() {
  return absl::StrFormat("%-30s %-18s %-14s %-11s %-7s %-8s %s\n", "publish time", "price",
                         "confidence", "status", "venues", "seq", "flags / reason");
}

std::string MarkHistoryLine(const v1::Mark& m) {
  std::string notes = FlagsText(m);
  if (m.status() != v1::MARK_STATUS_OK && !m.status_reason().empty()) {
    absl::StrAppend(&notes, notes.empty() ? "" : "  ", "[", m.status_reason(), "]");
  }
  return WithoutTrailingSpace(absl::StrFormat(
      "%-30s %-18s %-14s %-11s %-7s %-8llu %s", FormatRfc3339(FromTimestamp(m.publish_time())),
      OptionalDecimalText(m.has_price(), m.price()),
      OptionalDecimalText(m.has_confidence(), m.confidence()), StatusText(m.status()),
      absl::StrCat(m.used_venue_count(), "/", m.required_venue_count()),
      static_cast<unsigned long long>(m.sequence()), notes));
}

std::string EventHeader() {
  return absl::StrFormat("%-10s %-30s %-6s %-9s %-13s %-40s %-10s %s\n", "seq", "event time",
                         "type", "venue", "pair", "values", "venue seq", "result");
}

std::string EventLine(const v1::StoredEvent& e) {
  std::string values;
  auto add = [&values](const char* name, bool present, const v1::Decimal& d) {
    if (present) absl::StrAppend(&values, values.empty() ? "" : " ", name, " ", DecimalText(d));
  };
  add(e.type() == v1::STORED_EVENT_TYPE_RATE ? "ratio" : "price", e.has_price(), e.price());
  add("size", e.has_size(), e.size());
  add("bid", e.has_bid(), e.bid());
  add("ask", e.has_ask(), e.ask());
  if (!e.rate_source().empty()) absl::StrAppend(&values, " (", e.rate_source(), ")");
  return WithoutTrailingSpace(absl::StrFormat(
      "%-10llu %-30s %-6s %-9s %-13s %-40s %-10llu %s",
      static_cast<unsigned long long>(e.sequence()),
      e.has_event_time() ? FormatRfc3339(FromTimestamp(e.event_time())) : "-",
      EventTypeName(e.type()), e.venue().empty() ? "-" : e.venue(),
      e.pair().empty() ? "-" : e.pair(), values.empty() ? "-" : values,
      static_cast<unsigned long long>(e.venue_sequence()), EventResultName(e.result())));
}

std::string MarkAtText(const v1::GetMarkAtResponse& r, TimeNs at) {
  // As `get` would have shown it at `at`: its ages are relative to that instant.
  std::string out = MarkDetail(r.mark(), at);
  absl::StrAppend(&out, "  at ", FormatRfc3339(at), ": in force for ",
                  FormatDurationHuman(FromDuration(r.age())), ", published by event ",
                  r.event_sequence(), "\n");
  return out;
}

std::string TwapText(const std::string& instrument, const v1::GetTwapResponse& r, TimeNs from,
                     TimeNs to) {
  std::string out =
      absl::StrFormat("%-10s twap %s\n", instrument,
                      r.has_twap() ? DecimalText(r.twap()) : "(no price during the window)");
  absl::StrAppend(&out, "  window ", FormatRfc3339(from), " .. ", FormatRfc3339(to), " (",
                  FormatDurationHuman(FromDuration(r.window_duration())), "), priced for ",
                  FormatDurationHuman(FromDuration(r.priced_duration())), "\n");
  absl::StrAppend(&out, "  marks in force: seq ", r.start_mark_sequence(), " at the start",
                  r.start_mark_sequence() == 0 ? " (none yet)" : "", ", seq ",
                  r.end_mark_sequence(), " at the end\n");
  return out;
}

std::string VerifyText(const v1::VerifyMarkResponse& r) {
  const v1::Mark& s = r.stored();
  const v1::Mark& c = r.recomputed();
  std::string out =
      absl::StrFormat("%s mark seq %llu published %s\n", s.instrument(),
                      static_cast<unsigned long long>(s.sequence()),
                      s.has_publish_time() ? FormatRfc3339(FromTimestamp(s.publish_time())) : "-");
  auto row = [&out](const char* name, const std::string& a, const std::string& b) {
    absl::StrAppend(&out, absl::StrFormat("  %-13s %-34s %s\n", name, a, b));
  };
  row("", "stored", "recomputed");
  row("price", OptionalDecimalText(s.has_price(), s.price()),
      OptionalDecimalText(c.has_price(), c.price()));
  row("confidence", OptionalDecimalText(s.has_confidence(), s.confidence()),
      OptionalDecimalText(c.has_confidence(), c.confidence()));
  row("status", StatusWithReason(s), StatusWithReason(c));
  row("flags", FlagsText(s).empty() ? "-" : FlagsText(s),
      FlagsText(c).empty() ? "-" : FlagsText(c));
  row("venues", absl::StrCat(s.used_venue_count(), "/", s.required_venue_count()),
      absl::StrCat(c.used_venue_count(), "/", c.required_venue_count()));
  absl::StrAppend(&out, absl::StrFormat("  %-13s %s\n", "match", r.match() ? "yes" : "NO"));
  absl::StrAppend(
      &out,
      absl::StrFormat("  %-13s %s\n", "differences",
                      r.differences().empty() ? "none" : absl::StrJoin(r.differences(), ", ")));
  absl::StrAppend(
      &out, absl::StrFormat(
                "  %-13s seq %llu at %s; replayed events %llu..%llu (%llu events)\n", "checkpoint",
                static_cast<unsigned long long>(r.checkpoint_sequence()),
                r.has_checkpoint_time() ? FormatRfc3339(FromTimestamp(r.checkpoint_time())) : "-",
                static_cast<unsigned long long>(r.first_event_sequence()),
                static_cast<unsigned long long>(r.last_event_sequence()),
                static_cast<unsigned long long>(r.replayed_event_count())));
  std::string signature;
  if (s.signature().empty() && s.key_id().empty()) {
    signature = "unsigned (the server signs nothing)";
  } else {
    signature = absl::StrCat(r.signature_valid() ? "valid" : "INVALID", " (key ",
                             s.key_id().empty() ? "-" : s.key_id(), ", publisher ",
                             s.publisher_id().empty() ? "- (encoding v1)" : s.publisher_id(), ")");
  }
  absl::StrAppend(&out, absl::StrFormat("  %-13s %s\n", "signature", signature));
  absl::StrAppend(&out,
                  absl::StrFormat("  %-13s %s, configuration %s\n", "methodology",
                                  r.methodology_version().empty() ? "-" : r.methodology_version(),
                                  r.config_fingerprint().empty() ? "-" : r.config_fingerprint()));
  return out;
}

}  // namespace oracle::ctl
