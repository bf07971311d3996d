#ifndef NUMBERDESK_API_REQUEST_JSON_H_
#define NUMBERDESK_API_REQUEST_JSON_H_

#include <nlohmann/json.hpp>
#include <vector>

#include "api/json_body.h"
#include "domain/number_request.h"
#include "domain/request_validation.h"
#include "storage/store.h"

namespace numberdesk::api {

// The JSON fields each kind of request accepts, exactly as published.
const std::vector<FieldSpec>& FieldsOf(RequestType type);

// DecodeDraft reads a request body of `type` into a draft, with the decoding
// errors (unknown fields, wrong JSON types) it found on the way.
struct DecodedDraft {
  RequestDraft draft;
  FieldErrors errors;
};
DecodedDraft DecodeDraft(RequestType type, const nlohmann::json& body);

// Who a request is shown to. Staff also see the account, the requester, the
// carrier's reference, the version and the moves they may make; internal
// events are left out by the caller, which does not load them for customers.
enum class Audience { kCustomer, kStaff };

// The JSON a client sees for a request, with the fields of its type only.
nlohmann::ordered_json RequestJson(const NumberRequest& request,
                                   Audience audience = Audience::kCustomer);

// The same, with its documents' metadata and its timeline. Each event lists
// the documents it brought; of the LOAs and of the bills, the newest is
// marked current.
nlohmann::ordered_json RequestDetailJson(const NumberRequest& request,
                                         const std::vector<RequestDocument>& documents,
                                         const std::vector<RequestEvent>& events,
                                         Audience audience = Audience::kCustomer);

// One page of a list of requests: {"requests": [...], "next_cursor": ...}.
nlohmann::ordered_json RequestPageJson(const RequestPage& page, Audience audience);

nlohmann::ordered_json DocumentJson(const RequestDocument& document, Audience audience);
nlohmann::ordered_json EventJson(const RequestEvent& event);

// The paths of a request and of one of its documents, as each audience
// reaches them.
std::string RequestPath(std::string_view request_id, Audience audience = Audience::kCustomer);
std::string DocumentPath(std::string_view request_id, std::string_view document_id,
                         Audience audience = Audience::kCustomer);

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_REQUEST_JSON_H_
