#include "json_rpc.h"

#include "absl/strings/str_cat.h"

namespace oracle::rates::internal {

std::string Clip(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  return absl::StrCat(Sv(text.substr(0, max)), "...");
}

absl::Status ParseJsonRpcReply(simdjson::dom::parser& parser, std::string_view body,
                               uint64_t expected_id, const ErrorDataDescriber& describe_data,
                               simdjson::dom::element* result) {
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) {
    return absl::DataLossError(absl::StrCat("reply is not JSON: ", Clip(body)));
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    return absl::DataLossError(absl::StrCat("reply is not a JSON-RPC object: ", Clip(body)));
  }
  simdjson::dom::element id;
  if (obj["id"].get(id) == simdjson::SUCCESS && !id.is_null()) {
    uint64_t got = 0;
    if (id.get_uint64().get(got) != simdjson::SUCCESS || got != expected_id) {
      return absl::DataLossError(absl::StrCat("reply id ", Clip(simdjson::to_string(id)),
                                              " does not match request id ", expected_id));
    }
  }
  simdjson::dom::element error;
  if (obj["error"].get(error) == simdjson::SUCCESS && !error.is_null()) {
    int64_t code = 0;
    std::string_view message;
    simdjson::dom::element data;
    const bool has_code = error["code"].get_int64().get(code) == simdjson::SUCCESS;
    const bool has_message = error["message"].get_string().get(message) == simdjson::SUCCESS;
    if (!has_code && !has_message) {
      return absl::FailedPreconditionError(
          absl::StrCat("JSON-RPC error: ", Clip(simdjson::to_string(error))));
    }
    std::string text = absl::StrCat("JSON-RPC error ", has_code ? absl::StrCat(code) : "?", ": ",
                                    Clip(message, 200));
    if (error["data"].get(data) == simdjson::SUCCESS && !data.is_null() && describe_data) {
      std::string what = describe_data(data);
      if (!what.empty()) absl::StrAppend(&text, " (", what, ")");
    }
    return absl::FailedPreconditionError(text);
  }
  if (obj["result"].get(*result) != simdjson::SUCCESS) {
    return absl::DataLossError(absl::StrCat("reply has neither result nor error: ", Clip(body)));
  }
  return absl::OkStatus();
}

}  // namespace oracle::rates::internal
