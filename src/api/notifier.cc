#include "api/notifier.h"

#include <chrono>

#include "api/request_json.h"
#include "domain/notifications.h"
#include "notify/mail_message.h"
#include "security/random_ids.h"

namespace numberdesk::api {
namespace {

// The body of one webhook delivery.
std::string WebhookBody(const std::string& delivery_id, const NumberRequest& request,
                        const RequestEvent& event, const std::vector<std::string>& document_ids) {
  nlohmann::ordered_json event_json = EventJson(event);
  event_json["documents"] = document_ids;
  nlohmann::ordered_json body = {
      {"id", delivery_id},
      {"type", "request.event"},
      {"account_id", request.account_id},
      {"request",
       {{"id", request.id},
        {"type", ToString(request.type)},
        {"status", ToString(event.new_status)},
        {"href", RequestPath(request.id)}}},
      {"event", std::move(event_json)},
  };
  return body.dump();
}

}  // namespace

OutboxComposer Notifier::For(NumberRequest request, const User& actor) const {
  MailContext context;
  std::optional<User> requester = request.requester_user_id == actor.id
                                      ? std::optional<User>(actor)
                                      : store_.FindUser(request.requester_user_id);
  if (requester) context.requester_email = requester->email;
  context.support_email = settings_.support_email;
  context.actor_is_staff = actor.role == UserRole::kSupportAgent;
  std::vector<Webhook> webhooks = store_.WebhooksOf(request.account_id);

  return [request = std::move(request), context, webhooks = std::move(webhooks),
          from = settings_.mail_from](const RequestEvent& event,
                                      const std::vector<std::string>& document_ids) mutable {
    std::vector<OutboxMessage> outbox;
    request.status = event.new_status;
    context.request = &request;
    auto now = std::chrono::system_clock::now();
    for (const Mail& mail : MailFor(event, context)) {
      OutboxMessage message;
      message.id = NewId("out_");
      message.channel = OutboxChannel::kEmail;
      message.recipient = mail.to;
      message.message_id = mail.message_id;
      message.payload = RenderMail(mail, from, now);
      outbox.push_back(std::move(message));
    }
    if (event.visibility != EventVisibility::kCustomer) return outbox;
    for (const Webhook& webhook : webhooks) {
      OutboxMessage message;
      message.id = NewId("out_");
      message.channel = OutboxChannel::kWebhook;
      message.recipient = webhook.id;
      message.message_id = NewId("dlv_");
      message.payload = WebhookBody(message.message_id, request, event, document_ids);
      outbox.push_back(std::move(message));
    }
    return outbox;
  };
}

}  // namespace numberdesk::api
