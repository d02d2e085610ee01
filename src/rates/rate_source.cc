#include "oracle/rates/rate_source.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "http_multi.h"
#include "json_rpc.h"
#include "oracle/rates/evm_rpc.h"
#include "oracle/rates/solana_rpc.h"

namespace oracle::rates {

struct RateProviderSource::Impl {
  internal::HttpMulti http;
  uint64_t next_request_id = 0;  // poller thread only
};

namespace {

// `d` as an integer count of 10^exponent units (exponent <= d.exponent), rounding half to even
// when exponent > d.exponent. The caller keeps the scale difference within 14 digits.
int128 AtExponent(Decimal d, int32_t exponent) {
  if (d.exponent >= exponent) return static_cast<int128>(d.mantissa) * Pow10(d.exponent - exponent);
  return DivRoundHalfEven(d.mantissa, Pow10(exponent - d.exponent));
}

// Whether the answers spread by more than `bps` of `median`: (max - min) * 10000 > bps * median,
// exactly, at a common exponent. Ratios are positive.
bool Disagree(const std::vector<Decimal>& sorted, Decimal median, uint32_t bps) {
  int32_t lo = sorted.front().exponent;
  int32_t hi = lo;
  for (const Decimal& d : sorted) {
    lo = std::min(lo, d.exponent);
    hi = std::max(hi, d.exponent);
  }
  // Mantissas are below 9.3e18; at most 14 more digits keeps (max - min) * 10^4 under 2^127.
  const int32_t common = std::max(lo, hi - 14);
  const int128 spread = AtExponent(sorted.back(), common) - AtExponent(sorted.front(), common);
  return spread * 10000 > static_cast<int128>(bps) * AtExponent(median, common);
}

bool IsHttpUrl(std::string_view url) {
  return url.substr(0, 7) == "http://" || url.substr(0, 8) == "https://";
}

using SteadyClock = std::chrono::steady_clock;

// One outstanding request: which provider and endpoint it asks, with its JSON-RPC id.
struct Asked {
  size_t provider;
  size_t endpoint;
  uint64_t id;
};

// Each answer as a ratio or an error, by provider and endpoint.
using Answers = std::vector<std::vector<absl::StatusOr<Decimal>>>;

// What one poll of a provider gives.
struct PollResult {
  bool have = false;  // at least one ratio: `ratio` is pushed
  Decimal ratio;      // the median (the lower middle for an even count)
  bool disagree = false;
  std::vector<std::string> errors;  // "<endpoint>: <why>" of each endpoint that gave none
};

// The providers due at `now` into `due`; returns when the next one is due.
SteadyClock::time_point FindDue(const std::vector<SteadyClock::time_point>& next_due,
                                SteadyClock::time_point now, std::vector<size_t>* due) {
  due->clear();
  SteadyClock::time_point earliest = SteadyClock::time_point::max();
  for (size_t i = 0; i < next_due.size(); ++i) {
    if (next_due[i] <= now) due->push_back(i);
    earliest = std::min(earliest, next_due[i]);
  }
  return earliest;
}

// One request per endpoint of every due RPC provider (a constant provider asks nobody).
void BuildRequests(const std::vector<RateProviderSpec>& providers, const std::vector<size_t>& due,
                   uint64_t* next_request_id, std::vector<internal::HttpRequest>* requests,
                   std::vector<Asked>* asked) {
  requests->clear();
  asked->clear();
  for (size_t i : due) {
    const RateProviderSpec& p = providers[i];
    if (p.kind == RateProviderKind::kConstant) continue;
    for (size_t e = 0; e < p.endpoints.size(); ++e) {
      const uint64_t id = ++*next_request_id;
      internal::HttpRequest r;
      r.url = p.endpoints[e];
      r.timeout_ns = p.timeout_ns;
      r.body = p.kind == RateProviderKind::kEvmCall
                   ? EthCallRequestBody(id, p.evm_to, p.evm_data)
                   : GetAccountInfoRequestBody(id, p.solana_account);
      requests->push_back(std::move(r));
      asked->push_back(Asked{i, e, id});
    }
  }
}

// One endpoint's reply to request `id` as a positive ratio, or why it is none.
absl::StatusOr<Decimal> ReadAnswer(const RateProviderSpec& p, const internal::HttpResponse& resp,
                                   uint64_t id) {
  auto parse = [&]() -> absl::StatusOr<Decimal> {
    return p.kind == RateProviderKind::kEvmCall ? ParseEthCallReply(resp.body, id, p.evm_decimals)
                                                : ParseStakePoolAccountReply(resp.body, id);
  };
  if (!resp.transport_ok) return absl::UnavailableError(resp.error);
  if (resp.http_status < 200 || resp.http_status >= 300) {
    // Say what the node said when the body is a JSON-RPC error, else quote the body.
    absl::StatusOr<Decimal> parsed = parse();
    const bool rpc_error =
        !parsed.ok() && absl::StartsWith(parsed.status().message(), "JSON-RPC error");
    return absl::UnavailableError(absl::StrCat(
        "HTTP ", resp.http_status, ": ",
        rpc_error ? std::string(parsed.status().message()) : internal::Clip(resp.body)));
  }
  absl::StatusOr<Decimal> answer = parse();
  if (answer.ok() && answer->mantissa <= 0) {
    return absl::OutOfRangeError(
        absl::StrCat("ratio ", FormatDecimal(*answer), " is not positive"));
  }
  return answer;
}

Answers ReadAnswers(const std::vector<RateProviderSpec>& providers, const std::vector<size_t>& due,
                    const std::vector<Asked>& asked,
                    const std::vector<internal::HttpResponse>& responses) {
  Answers answers(providers.size());
  for (size_t i : due) answers[i].assign(providers[i].endpoints.size(), Decimal{});
  for (size_t k = 0; k < asked.size(); ++k) {
    answers[asked[k].provider][asked[k].endpoint] =
        ReadAnswer(providers[asked[k].provider], responses[k], asked[k].id);
  }
  return answers;
}

// The successful answers give the ratio: their median, and whether they spread too far.
PollResult CombineAnswers(const RateProviderSpec& p,
                          const std::vector<absl::StatusOr<Decimal>>& answers) {
  PollResult r;
  std::vector<Decimal> ok;
  if (p.kind == RateProviderKind::kConstant) {
    ok.push_back(p.constant);
  } else {
    for (size_t e = 0; e < p.endpoints.size(); ++e) {
      if (answers[e].ok()) {
        ok.push_back(*answers[e]);
      } else {
        r.errors.push_back(
            absl::StrCat(RedactEndpoint(p.endpoints[e]), ": ", answers[e].status().message()));
      }
    }
  }
  std::sort(ok.begin(), ok.end(),
            [](const Decimal& a, const Decimal& b) { return CompareDecimal(a, b) < 0; });
  r.have = !ok.empty();
  if (r.have) {
    r.ratio = ok[(ok.size() - 1) / 2];
    r.disagree = ok.size() > 1 && Disagree(ok, r.ratio, p.max_disagreement_bps);
  }
  return r;
}

void RecordPoll(const PollResult& r, const std::vector<absl::StatusOr<Decimal>>& answers, TimeNs t,
                RateProviderHealth* h) {
  ++h->polls;
  if (r.disagree) ++h->disagreements;
  if (r.have) {
    ++h->pushed;
    h->last_ratio = r.ratio;
    h->last_success_time = t;
  } else {
    ++h->failures;
  }
  if (!r.errors.empty()) {
    h->last_error =
        absl::StrCat(r.have ? "" : "no endpoint answered: ", absl::StrJoin(r.errors, "; "));
    h->last_error_time = t;
  }
  for (size_t e = 0; e < h->endpoints.size(); ++e) {
    RateEndpointHealth& eh = h->endpoints[e];
    const absl::StatusOr<Decimal>& a = answers[e];
    eh.ok = a.ok();
    if (a.ok()) {
      ++eh.successes;
      eh.last_ratio = *a;
    } else {
      ++eh.failures;
      eh.last_error = std::string(a.status().message());
    }
  }
}

// Next poll one interval after the last one was due, or after `now` if that is already past.
void ScheduleNext(const std::vector<RateProviderSpec>& providers, const std::vector<size_t>& due,
                  SteadyClock::time_point now, std::vector<SteadyClock::time_point>* next_due) {
  for (size_t i : due) {
    const auto interval = std::chrono::nanoseconds(providers[i].poll_interval_ns);
    (*next_due)[i] += interval;
    if ((*next_due)[i] <= now) (*next_due)[i] = now + interval;
  }
}

}  // namespace

std::string RedactEndpoint(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return internal::Clip(url, 40);
  const size_t authority_begin = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string::npos) authority_end = url.size();
  std::string_view authority(url.data() + authority_begin, authority_end - authority_begin);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);  // user:password@ is never shown
  }
  std::string out = absl::StrCat(url.substr(0, authority_begin), internal::Sv(authority));
  const std::string_view rest(url.data() + authority_end, url.size() - authority_end);
  if (!rest.empty() && rest != "/") out += "/...";
  return out;
}

absl::Status ValidateRateProviderSpec(const RateProviderSpec& spec) {
  std::vector<std::string> problems;
  const std::string who = spec.name.empty() ? std::string("<unnamed>") : spec.name;
  auto add = [&](absl::string_view field, absl::string_view why) {
    problems.push_back(absl::StrCat(who, ": ", field, ": ", why));
  };
  if (spec.name.empty()) add("name", "empty");
  if (spec.poll_interval_ns <= 0) add("poll_interval", "must be positive");
  if (spec.timeout_ns <= 0) add("timeout", "must be positive");
  const bool needs_endpoints = spec.kind != RateProviderKind::kConstant;
  if (needs_endpoints) {
    if (spec.endpoints.empty()) add("endpoints", "none: an RPC provider needs at least one");
    for (const std::string& url : spec.endpoints) {
      if (!IsHttpUrl(url)) {
        add("endpoints",
            absl::StrCat("\"", RedactEndpoint(url), "\" does not start with http:// or https://"));
      }
    }
  }
  switch (spec.kind) {
    case RateProviderKind::kEvmCall:
      if (absl::Status s = ValidateEvmAddress(spec.evm_to); !s.ok()) add("evm_to", s.message());
      if (absl::Status s = ValidateEvmCalldata(spec.evm_data); !s.ok()) {
        add("evm_data", s.message());
      }
      if (spec.evm_decimals > kMaxEvmDecimals) {
        add("evm_decimals", absl::StrCat(spec.evm_decimals, " is above ", kMaxEvmDecimals));
      }
      break;
    case RateProviderKind::kSolanaStakePool:
      if (absl::Status s = ValidateSolanaAccount(spec.solana_account); !s.ok()) {
        add("solana_account", s.message());
      }
      break;
    case RateProviderKind::kConstant:
      if (spec.constant.mantissa <= 0) {
        add("constant", absl::StrCat(FormatDecimal(spec.constant), " is not positive"));
      }
      if (spec.constant.exponent < kMinDecimalExponent ||
          spec.constant.exponent > kMaxDecimalExponent) {
        add("constant", absl::StrCat("exponent ", spec.constant.exponent, " is out of range"));
      }
      break;
    default:
      add("kind", absl::StrCat(static_cast<int>(spec.kind), " is not a provider kind"));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
}

RateProviderSource::RateProviderSource(std::vector<RateProviderSpec> providers, Clock clock)
    : providers_(std::move(providers)),
      clock_(OrSystemClock(std::move(clock))),
      impl_(std::make_unique<Impl>()) {
  health_.resize(providers_.size());
  for (size_t i = 0; i < providers_.size(); ++i) {
    const RateProviderSpec& p = providers_[i];
    RateProviderHealth& h = health_[i];
    h.name = p.name;
    h.pair = p.pair;
    h.kind = p.kind;
    if (p.kind == RateProviderKind::kConstant) continue;
    for (const std::string& url : p.endpoints) {
      RateEndpointHealth eh;
      eh.endpoint = RedactEndpoint(url);
      h.endpoints.push_back(std::move(eh));
    }
  }
}

RateProviderSource::~RateProviderSource() { Stop(); }

absl::Status RateProviderSource::Start(SpscRing<Event>* ring) {
  if (ring == nullptr) return absl::InvalidArgumentError("rates: no ring");
  if (thread_.joinable() || stopping_.load()) {
    return absl::FailedPreconditionError("rates: already started");
  }
  std::vector<std::string> problems;
  for (const RateProviderSpec& p : providers_) {
    if (absl::Status s = ValidateRateProviderSpec(p); !s.ok()) {
      problems.emplace_back(s.message());
    }
  }
  if (!problems.empty()) return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  ring_ = ring;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void RateProviderSource::Stop() {
  {
    std::lock_guard<std::mutex> lock(wait_mu_);
    stopping_.store(true, std::memory_order_release);
  }
  wait_cv_.notify_all();
  impl_->http.Wakeup();
  if (thread_.joinable()) thread_.join();
}

std::vector<RateProviderHealth> RateProviderSource::Health() const {
  std::lock_guard<std::mutex> lock(health_mu_);
  return health_;
}

void RateProviderSource::Run() {
  std::vector<SteadyClock::time_point> next_due(providers_.size(), SteadyClock::now());
  std::vector<internal::HttpRequest> requests;
  std::vector<internal::HttpResponse> responses;
  std::vector<Asked> asked;
  std::vector<size_t> due;
  while (!stopping_.load(std::memory_order_acquire)) {
    const SteadyClock::time_point earliest = FindDue(next_due, SteadyClock::now(), &due);
    if (due.empty()) {
      std::unique_lock<std::mutex> lock(wait_mu_);
      wait_cv_.wait_until(lock, earliest, [this] { return stopping_.load(); });
      continue;
    }
    BuildRequests(providers_, due, &impl_->next_request_id, &requests, &asked);
    if (!requests.empty() && !impl_->http.Perform(requests, &responses, stopping_)) break;
    const TimeNs t = clock_();
    const Answers answers = ReadAnswers(providers_, due, asked, responses);
    for (size_t i : due) PublishPoll(i, answers[i], t);
    ScheduleNext(providers_, due, SteadyClock::now(), &next_due);
  }
}

void RateProviderSource::PublishPoll(size_t provider,
                                     const std::vector<absl::StatusOr<Decimal>>& answers,
                                     TimeNs t) {
  const RateProviderSpec& p = providers_[provider];
  const PollResult r = CombineAnswers(p, answers);
  if (r.have) ring_->Push(Event::Rate(p.rate_pair_id, t, t, r.ratio, p.source_id));
  std::lock_guard<std::mutex> lock(health_mu_);
  RecordPoll(r, answers, t, &health_[provider]);
}

}  // namespace oracle::rates
