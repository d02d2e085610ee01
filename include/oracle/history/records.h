// Byte layouts of the history's keys and values (history_store.h lists the families).
//
// Event value, 64 bytes little-endian, format 1:
//   [0] u8 format = 1   [1] u8 EventType   [2..4] i8 exponents of a, b, c   [5] u8 ApplyResult
//   [6..7] zero   [8] u32 id (feed, or rate pair)   [12] u32 zero
//   [16] i64 event_time  [24] i64 recv_time  [32] i64 a  [40] i64 b  [48] i64 c
//   [56] u64 venue_sequence
// Checkpoint value: u32 format = 1, i64 core time, u32 length + methodology version, u32 length +
// configuration fingerprint, then Engine::SaveState bytes.
// Gap value (meta "gap/<first seq>"): u64 last sequence lost, u64 records lost (events and marks).
#ifndef ORACLE_HISTORY_RECORDS_H_
#define ORACLE_HISTORY_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "oracle/aggregation/engine.h"
#include "oracle/core/event.h"

namespace google::protobuf {
class Message;
}

namespace oracle::history {

inline constexpr size_t kEventValueSize = 64;

// StoredMark.twap_price_ns: a 16-byte little-endian two's-complement integer (0 if malformed).
std::string Int128Bytes(int128 v);
int128 Int128FromBytes(std::string_view b);
// The byte-stable serialization used for stored marks and VerifyMark's comparison.
void SerializeDeterministic(const google::protobuf::Message& m, std::string* out);

// 8 bytes big-endian.
void AppendU64BE(std::string* out, uint64_t v);
uint64_t ReadU64BE(std::string_view b);  // b.size() >= 8
// Time as 8 bytes that sort in time order (big-endian, sign bit flipped).
void AppendTime(std::string* out, TimeNs t);
TimeNs ReadTime(std::string_view b);

std::string SeqKey(uint64_t seq);
std::string TimeKey(TimeNs t);
// instrument 0x00 time(8) sequence(8)
std::string MarkKey(std::string_view instrument, TimeNs t, uint64_t sequence);
// instrument 0x00: every key of the instrument starts with it; MarkPrefixEnd is just past them.
std::string MarkPrefix(std::string_view instrument);
std::string MarkPrefixEnd(std::string_view instrument);
bool DecodeMarkKey(std::string_view key, std::string_view* instrument, TimeNs* t,
                   uint64_t* sequence);
// instrument 0x00 sequence(8)
std::string MarkSeqKey(std::string_view instrument, uint64_t sequence);

void EncodeEvent(const Event& e, ApplyResult r, char out[kEventValueSize]) noexcept;
bool DecodeEvent(std::string_view v, Event* e, ApplyResult* r) noexcept;

struct CheckpointHeader {
  TimeNs time = 0;
  std::string methodology_version;
  std::string fingerprint;
};
void EncodeCheckpointHeader(const CheckpointHeader& h, std::string* out);
// Splits a checkpoint value into its header and the engine state.
bool DecodeCheckpoint(std::string_view v, CheckpointHeader* h, std::string_view* state);

inline constexpr char kMetaInfo[] = "info";
inline constexpr char kMetaGapPrefix[] = "gap/";
inline constexpr char kMetaSegmentPrefix[] = "segment/";
inline constexpr size_t kMetaSegmentPrefixLen = sizeof(kMetaSegmentPrefix) - 1;
inline constexpr char kMetaKeyPrefix[] = "key/";
// The bytes of a damaged checkpoint that a restart's recovery checkpoint replaced.
inline constexpr char kMetaDamagedCheckpointPrefix[] = "damaged/checkpoint/";

}  // namespace oracle::history

#endif  // ORACLE_HISTORY_RECORDS_H_
