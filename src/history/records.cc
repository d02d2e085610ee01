#include "oracle/history/records.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>

#include <cstring>

namespace oracle::history {
namespace {

void PutLE(char* p, uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint64_t GetLE(const char* p) noexcept {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
void AppendU32LE(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
bool ReadU32LE(std::string_view* in, uint32_t* v) {
  if (in->size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i)
    *v |= static_cast<uint32_t>(static_cast<unsigned char>((*in)[i])) << (8 * i);
  in->remove_prefix(4);
  return true;
}
constexpr uint64_t kSignBit = 1ULL << 63;

}  // namespace

std::string Int128Bytes(int128 v) {
  std::string out(16, '\0');
  auto u = static_cast<unsigned __int128>(v);
  for (int i = 0; i < 16; ++i) {
    out[static_cast<size_t>(i)] = static_cast<char>((u >> (8 * i)) & 0xff);
  }
  return out;
}

int128 Int128FromBytes(std::string_view b) {
  if (b.size() != 16) return 0;
  unsigned __int128 u = 0;
  for (int i = 15; i >= 0; --i) {
    u = (u << 8) | static_cast<unsigned char>(b[static_cast<size_t>(i)]);
  }
  return static_cast<int128>(u);
}

void SerializeDeterministic(const google::protobuf::Message& m, std::string* out) {
  out->clear();
  google::protobuf::io::StringOutputStream os(out);
  google::protobuf::io::CodedOutputStream coded(&os);
  coded.SetSerializationDeterministic(true);
  m.SerializeToCodedStream(&coded);
}

void AppendU64BE(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t ReadU64BE(std::string_view b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return v;
}

void AppendTime(std::string* out, TimeNs t) {
  AppendU64BE(out, static_cast<uint64_t>(t) ^ kSignBit);
}
TimeNs ReadTime(std::string_view b) { return static_cast<TimeNs>(ReadU64BE(b) ^ kSignBit); }

std::string SeqKey(uint64_t seq) {
  std::string k;
  AppendU64BE(&k, seq);
  return k;
}

std::string TimeKey(TimeNs t) {
  std::string k;
  AppendTime(&k, t);
  return k;
}

std::string MarkPrefix(std::string_view instrument) {
  std::string k(instrument);
  k.push_back('\0');
  return k;
}

std::string MarkPrefixEnd(std::string_view instrument) {
  std::string k(instrument);
  k.push_back('\1');
  return k;
}

std::string MarkKey(std::string_view instrument, TimeNs t, uint64_t sequence) {
  std::string k = MarkPrefix(instrument);
  AppendTime(&k, t);
  AppendU64BE(&k, sequence);
  return k;
}

bool DecodeMarkKey(std::string_view key, std::string_view* instrument, TimeNs* t,
                   uint64_t* sequence) {
  if (key.size() < 17) return false;
  const size_t name_len = key.size() - 17;
  if (key[name_len] != '\0') return false;
  *instrument = key.substr(0, name_len);
  *t = ReadTime(key.substr(name_len + 1, 8));
  *sequence = ReadU64BE(key.substr(name_len + 9, 8));
  return true;
}

std::string MarkSeqKey(std::string_view instrument, uint64_t sequence) {
  std::string k = MarkPrefix(instrument);
  AppendU64BE(&k, sequence);
  return k;
}

void EncodeEvent(const Event& e, ApplyResult r, char out[kEventValueSize]) noexcept {
  std::memset(out, 0, kEventValueSize);
  out[0] = 1;
  out[1] = static_cast<char>(e.type);
  out[2] = static_cast<char>(e.exp_a);
  out[3] = static_cast<char>(e.exp_b);
  out[4] = static_cast<char>(e.exp_c);
  out[5] = static_cast<char>(r);
  PutLE(out + 8, e.id);  // u32 id + u32 zero
  PutLE(out + 16, static_cast<uint64_t>(e.event_time));
  PutLE(out + 24, static_cast<uint64_t>(e.recv_time));
  PutLE(out + 32, static_cast<uint64_t>(e.a));
  PutLE(out + 40, static_cast<uint64_t>(e.b));
  PutLE(out + 48, static_cast<uint64_t>(e.c));
  PutLE(out + 56, e.venue_sequence);
}

bool DecodeEvent(std::string_view v, Event* e, ApplyResult* r) noexcept {
  if (v.size() != kEventValueSize || v[0] != 1) return false;
  const auto type = static_cast<uint8_t>(v[1]);
  if (type < static_cast<uint8_t>(EventType::kTrade) ||
      type > static_cast<uint8_t>(EventType::kTimer)) {
    return false;
  }
  const auto result = static_cast<uint8_t>(v[5]);
  if (result > static_cast<uint8_t>(ApplyResult::kIgnoredOutOfOrder)) return false;
  *e = Event{};
  e->type = static_cast<EventType>(type);
  e->exp_a = static_cast<int8_t>(v[2]);
  e->exp_b = static_cast<int8_t>(v[3]);
  e->exp_c = static_cast<int8_t>(v[4]);
  *r = static_cast<ApplyResult>(result);
  e->id = static_cast<uint32_t>(GetLE(v.data() + 8) & 0xffffffffu);
  e->event_time = static_cast<TimeNs>(GetLE(v.data() + 16));
  e->recv_time = static_cast<TimeNs>(GetLE(v.data() + 24));
  e->a = static_cast<int64_t>(GetLE(v.data() + 32));
  e->b = static_cast<int64_t>(GetLE(v.data() + 40));
  e->c = static_cast<int64_t>(GetLE(v.data() + 48));
  e->venue_sequence = GetLE(v.data() + 56);
  return true;
}

void EncodeCheckpointHeader(const CheckpointHeader& h, std::string* out) {
  AppendU32LE(out, 1);
  char t[8];
  PutLE(t, static_cast<uint64_t>(h.time));
  out->append(t, 8);
  AppendU32LE(out, static_cast<uint32_t>(h.methodology_version.size()));
  out->append(h.methodology_version);
  AppendU32LE(out, static_cast<uint32_t>(h.fingerprint.size()));
  out->append(h.fingerprint);
}

bool DecodeCheckpoint(std::string_view v, CheckpointHeader* h, std::string_view* state) {
  uint32_t format = 0, len = 0;
  if (!ReadU32LE(&v, &format) || format != 1 || v.size() < 8) return false;
  h->time = static_cast<TimeNs>(GetLE(v.data()));
  v.remove_prefix(8);
  if (!ReadU32LE(&v, &len) || v.size() < len) return false;
  h->methodology_version = std::string(v.substr(0, len));
  v.remove_prefix(len);
  if (!ReadU32LE(&v, &len) || v.size() < len) return false;
  h->fingerprint = std::string(v.substr(0, len));
  v.remove_prefix(len);
  *state = v;
  return true;
}

}  // namespace oracle::history
