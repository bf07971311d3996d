#ifndef NUMBERDESK_API_REQUEST_JSON_H_
#define NUMBERDESK_API_REQUEST_JSON_H_

#include <nlohmann/json.hpp>
#include <vector>

#include "api/json_body.h"
#include "domain/number_request.h"
#include "domain/request_validation.h"

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

// The JSON a client sees for a request, with the fields of its type only.
nlohmann::ordered_json RequestJson(const NumberRequest& request);

// The same, with its documents' metadata and its timeline.
nlohmann::ordered_json RequestDetailJson(const NumberRequest& request,
                                         const std::vector<RequestDocument>& documents,
                                         const std::vector<RequestEvent>& events);

nlohmann::ordered_json DocumentJson(const RequestDocument& document);
nlohmann::ordered_json EventJson(const RequestEvent& event);

// The path of a request and of one of its documents.
std::string RequestPath(std::string_view request_id);
std::string DocumentPath(std::string_view request_id, std::string_view document_id);

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_REQUEST_JSON_H_
