#include "api/notification_handlers.h"

#include <stdexcept>

#include "api/handler_parts.h"
#include "api/json_body.h"
#include "domain/text.h"
#include "domain/timestamps.h"
#include "http/problem.h"
#include "notify/transports.h"
#include "security/random_ids.h"

namespace numberdesk::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using nlohmann::ordered_json;

// Secrets carry 192 random bits, like API tokens.
constexpr std::size_t kSecretBytes = 24;

ordered_json WebhookJson(const Webhook& webhook) {
  return {{"id", webhook.id}, {"url", webhook.url}, {"created_at", webhook.created_at}};
}

ordered_json OptionalText(const std::optional<std::string>& text) {
  return text ? ordered_json(*text) : ordered_json(nullptr);
}

ordered_json OutboxJson(const OutboxMessage& message) {
  return {
      {"id", message.id},
      {"event_id", message.event_id},
      {"request_id", message.request_id},
      {"channel", ToString(message.channel)},
      {"recipient", message.recipient},
      {"message_id", message.message_id},
      {"state", ToString(message.state)},
      {"attempts", message.attempts},
      {"next_attempt_at", message.next_attempt_at},
      {"last_error", OptionalText(message.last_error)},
      {"created_at", message.created_at},
      {"sent_at", OptionalText(message.sent_at)},
  };
}

}  // namespace

HttpResponse NotificationHandlers::CreateWebhook(const HttpRequest& request, const Caller& caller) {
  auto body = ParseJsonBody(request.body);
  if (auto* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);
  DecodedFields fields =
      DecodeFields(std::get<nlohmann::json>(body), {{"url", FieldShape::kString}});
  if (!fields.errors.empty()) return Invalid(fields.errors);
  std::string url(TrimWhitespace(fields.String("url").value_or("")));
  if (url.empty()) {
    return Invalid({ErrorAt("/url", "required", "url (where to post the events) is required.")});
  }
  if (HasControlCharacters(url, /*allow_line_breaks=*/false)) {
    return Invalid({ErrorAt("/url", "invalid_url", "The URL may not hold control characters.")});
  }
  if (std::optional<std::string> problem = CheckWebhookUrl(url)) {
    return Invalid({ErrorAt("/url", "invalid_url", *problem)});
  }

  Webhook webhook;
  webhook.account_id = *caller.user.account_id;
  webhook.url = url;
  webhook.secret = "whsec_" + HexEncode(RandomBytes(kSecretBytes));
  webhook = store_.CreateWebhook(std::move(webhook));
  ordered_json answer = WebhookJson(webhook);
  answer["secret"] = webhook.secret;
  HttpResponse response = http::JsonResponse(201, answer);
  response.headers.Set("Location", "/api/webhooks/" + webhook.id);
  return response;
}

HttpResponse NotificationHandlers::ListWebhooks(const HttpRequest& request, const Caller& caller) {
  auto query = ParseListQuery(request.query, {});
  if (auto* refusal = std::get_if<HttpResponse>(&query)) return std::move(*refusal);
  ordered_json webhooks = ordered_json::array();
  for (const Webhook& webhook : store_.WebhooksOf(*caller.user.account_id))
    webhooks.push_back(WebhookJson(webhook));
  return http::JsonResponse(200, {{"webhooks", webhooks}});
}

HttpResponse NotificationHandlers::DeleteWebhook(const http::PathParams& params,
                                                 const Caller& caller) {
  const std::string& id = params.Get("id");
  if (!store_.DeleteWebhook(*caller.user.account_id, id,
                            FormatRfc3339(std::chrono::system_clock::now()))) {
    return NotFound("Webhook", id);
  }
  HttpResponse response;
  response.status = 204;
  return response;
}

HttpResponse NotificationHandlers::Outbox(const HttpRequest& request) {
  auto query = ParseListQuery(request.query, {"state", "limit"});
  if (auto* refusal = std::get_if<HttpResponse>(&query)) return std::move(*refusal);
  const ListQuery& list = std::get<ListQuery>(query);
  ordered_json messages = ordered_json::array();
  for (const OutboxMessage& message :
       store_.ListOutbox(list.state.value_or(OutboxState::kFailed), list.limit))
    messages.push_back(OutboxJson(message));
  return http::JsonResponse(200, {{"messages", messages}});
}

HttpResponse NotificationHandlers::RetryOutbox(const http::PathParams& params) {
  const std::string& id = params.Get("id");
  switch (store_.RetryOutbox(id, FormatRfc3339(std::chrono::system_clock::now()))) {
    case OutboxRetry::kRetried:
      return http::JsonResponse(202, {{"id", id}, {"state", "pending"}});
    case OutboxRetry::kNotFailed:
      return NotFound("Failed message", id);
    case OutboxRetry::kWebhookDeleted:
      // Sending it again could only fail the same way; say so rather than
      // accept a retry that cannot work.
      return http::Problem(409, "webhook_deleted",
                           "The webhook this message was for has been deleted, so it cannot be "
                           "sent again; the message is left as it is.");
  }
  throw std::logic_error("unknown outcome of a retry");
}

}  // namespace numberdesk::api
