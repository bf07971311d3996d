#include "api/request_json.h"

#include <algorithm>

#include "domain/workflow.h"

namespace numberdesk::api {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json OrNull(const std::optional<std::string>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

}  // namespace

const std::vector<FieldSpec>& FieldsOf(RequestType type) {
  static const std::vector<FieldSpec> kNonTollFree = {
      {"country_code", FieldShape::kString},   {"department_name", FieldShape::kString},
      {"assign_to_user", FieldShape::kString}, {"notify_email", FieldShape::kStringList},
      {"comment", FieldShape::kString},        {"forward_from", FieldShape::kString},
      {"region", FieldShape::kString},         {"city", FieldShape::kString},
      {"area_code", FieldShape::kStringList},
  };
  static const std::vector<FieldSpec> kTollFree = {
      {"country_code", FieldShape::kString},   {"department_name", FieldShape::kString},
      {"assign_to_user", FieldShape::kString}, {"notify_email", FieldShape::kStringList},
      {"comment", FieldShape::kString},        {"forward_from", FieldShape::kString},
      {"area_code", FieldShape::kStringList},
  };
  static const std::vector<FieldSpec> kPortIn = {
      {"country_code", FieldShape::kString},   {"department_name", FieldShape::kString},
      {"assign_to_user", FieldShape::kString}, {"notify_email", FieldShape::kStringList},
      {"comment", FieldShape::kString},        {"number_to_port", FieldShape::kString},
      {"toll_free", FieldShape::kBoolean},
  };
  switch (type) {
    case RequestType::kNonTollFree:
      return kNonTollFree;
    case RequestType::kTollFree:
      return kTollFree;
    case RequestType::kPortIn:
      return kPortIn;
  }
  return kNonTollFree;
}

DecodedDraft DecodeDraft(RequestType type, const json& body) {
  DecodedFields fields = DecodeFields(body, FieldsOf(type));
  DecodedDraft decoded;
  RequestDraft& draft = decoded.draft;
  draft.country_code = fields.String("country_code");
  draft.department_name = fields.String("department_name");
  draft.assign_to_user = fields.String("assign_to_user");
  draft.notify_email = fields.StringList("notify_email");
  draft.comment = fields.String("comment");
  draft.forward_from = fields.String("forward_from");
  draft.region = fields.String("region");
  draft.city = fields.String("city");
  draft.area_code = fields.StringList("area_code");
  draft.number_to_port = fields.String("number_to_port");
  draft.toll_free = fields.Boolean("toll_free");
  decoded.errors = std::move(fields.errors);
  return decoded;
}

ordered_json RequestJson(const NumberRequest& request, Audience audience) {
  ordered_json body = {
      {"id", request.id},
      {"type", ToString(request.type)},
      {"status", ToString(request.status)},
      {"country_code", request.country_code},
      {"department_name", OrNull(request.department_name)},
      {"assign_to_user", OrNull(request.assign_to_user)},
      {"notify_email", request.notify_email},
      {"comment", OrNull(request.comment)},
  };
  switch (request.type) {
    case RequestType::kNonTollFree:
      body["forward_from"] = OrNull(request.forward_from);
      body["region"] = OrNull(request.region);
      body["city"] = OrNull(request.city);
      body["area_code"] = request.area_code;
      break;
    case RequestType::kTollFree:
      body["forward_from"] = OrNull(request.forward_from);
      body["area_code"] = request.area_code;
      break;
    case RequestType::kPortIn:
      body["number_to_port"] = OrNull(request.number_to_port);
      body["toll_free"] =
          request.toll_free ? ordered_json(*request.toll_free) : ordered_json(nullptr);
      break;
  }
  if (request.type == RequestType::kPortIn) body["foc_date"] = OrNull(request.foc_date);
  body["number"] = OrNull(request.number);
  body["created_at"] = request.created_at;
  body["updated_at"] = request.updated_at;
  if (audience == Audience::kStaff) {
    body["account_id"] = request.account_id;
    body["requester_user_id"] = request.requester_user_id;
    body["carrier_reference"] = OrNull(request.carrier_reference);
    body["status_changed_at"] = request.status_changed_at;
    body["version"] = request.version;
    ordered_json moves = ordered_json::array();
    for (RequestStatus to : AllowedMoves(request.type, request.status, WorkflowRole::kSupportAgent))
      moves.push_back(ToString(to));
    body["allowed_moves"] = std::move(moves);
  }
  return body;
}

ordered_json RequestDetailJson(const NumberRequest& request,
                               const std::vector<RequestDocument>& documents,
                               const std::vector<RequestEvent>& events, Audience audience) {
  ordered_json body = RequestJson(request, audience);
  body["documents"] = ordered_json::array();
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const RequestDocument& document = documents[i];
    ordered_json item = DocumentJson(document, audience);
    if (document.kind != DocumentKind::kAttachment) {
      // Documents come oldest first: the last of its kind is in force.
      bool newer =
          std::any_of(documents.begin() + static_cast<std::ptrdiff_t>(i) + 1, documents.end(),
                      [&](const RequestDocument& d) { return d.kind == document.kind; });
      item["current"] = !newer;
    }
    body["documents"].push_back(std::move(item));
  }
  body["events"] = ordered_json::array();
  for (const RequestEvent& event : events) {
    ordered_json item = EventJson(event);
    ordered_json brought = ordered_json::array();
    for (const RequestDocument& document : documents) {
      if (document.event_id == event.id) brought.push_back(document.id);
    }
    item["documents"] = std::move(brought);
    body["events"].push_back(std::move(item));
  }
  return body;
}

ordered_json RequestPageJson(const RequestPage& page, Audience audience) {
  ordered_json body = {{"requests", ordered_json::array()}, {"next_cursor", nullptr}};
  for (const NumberRequest& item : page.requests)
    body["requests"].push_back(RequestJson(item, audience));
  if (page.next_cursor) body["next_cursor"] = *page.next_cursor;
  return body;
}

ordered_json DocumentJson(const RequestDocument& document, Audience audience) {
  return {
      {"id", document.id},
      {"kind", ToString(document.kind)},
      {"file_name", document.file_name},
      {"content_type", document.content_type},
      {"size_bytes", document.size_bytes},
      {"sha256", document.sha256},
      {"page_count", document.page_count},
      {"created_at", document.created_at},
      {"href", DocumentPath(document.request_id, document.id, audience)},
  };
}

ordered_json EventJson(const RequestEvent& event) {
  return {
      {"id", event.id},
      {"kind", ToString(event.kind)},
      {"occurred_at", event.occurred_at},
      {"actor", event.actor_username},
      {"old_status",
       event.old_status ? ordered_json(ToString(*event.old_status)) : ordered_json(nullptr)},
      {"new_status", ToString(event.new_status)},
      {"note", event.note},
      {"visibility", ToString(event.visibility)},
  };
}

std::string RequestPath(std::string_view request_id, Audience audience) {
  return (audience == Audience::kStaff ? "/api/support/requests/" : "/api/numbers/requests/") +
         std::string(request_id);
}

std::string DocumentPath(std::string_view request_id, std::string_view document_id,
                         Audience audience) {
  return RequestPath(request_id, audience) + "/documents/" + std::string(document_id);
}

}  // namespace numberdesk::api
