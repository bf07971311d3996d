#include "notify/outbox_worker.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <random>

#include "domain/timestamps.h"

namespace numberdesk {
namespace {

std::string At(std::chrono::system_clock::time_point when) {
  return FormatRfc3339(when);
}

double Jitter() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

std::optional<std::chrono::milliseconds> RetryPolicy::DelayAfter(int attempt, double jitter) const {
  if (attempt >= max_attempts) return std::nullopt;
  double base = static_cast<double>(initial.count()) * std::pow(2.0, std::max(0, attempt - 1));
  base = std::min(base, static_cast<double>(max.count()));
  return std::chrono::milliseconds(static_cast<std::int64_t>(base * (1.0 - 0.2 * jitter)));
}

OutboxWorker::OutboxWorker(Store& store, MailTransport& mail, WebhookTransport& webhooks,
                           OutboxWorkerOptions options)
    : store_(store), mail_(mail), webhooks_(webhooks), options_(options) {}

OutboxWorker::~OutboxWorker() {
  Stop();
}

void OutboxWorker::Start() {
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
  }
  for (OutboxChannel channel : {OutboxChannel::kEmail, OutboxChannel::kWebhook})
    threads_.emplace_back([this, channel] { Run(channel); });
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopping_.notify_all();
  for (std::thread& thread : threads_)
    thread.join();
  threads_.clear();
}

void OutboxWorker::Run(OutboxChannel channel) {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    int tried = 0;
    try {
      tried = DeliverDue(channel);
    } catch (const std::exception& error) {
      // The database itself failed; the messages stay where they are.
      spdlog::error("outbox channel={} error=\"{}\"", ToString(channel), error.what());
    }
    lock.lock();
    // A full batch means more may be due at once.
    if (tried < options_.batch) stopping_.wait_for(lock, options_.poll, [this] { return stop_; });
  }
}

int OutboxWorker::DeliverDue(OutboxChannel channel) {
  auto now = std::chrono::system_clock::now();
  std::vector<OutboxMessage> due =
      store_.ClaimDueOutbox(channel, At(now), At(now + options_.lease), options_.batch);
  for (const OutboxMessage& message : due)
    Deliver(message);
  return static_cast<int>(due.size());
}

void OutboxWorker::Deliver(const OutboxMessage& message) {
  auto started = std::chrono::steady_clock::now();
  try {
    if (message.channel == OutboxChannel::kEmail) {
      mail_.Send(message);
    } else {
      std::optional<Webhook> webhook = store_.FindWebhook(message.recipient);
      if (!webhook) {
        store_.MarkOutboxAttemptFailed(message.id, "the webhook was deleted", std::nullopt);
        spdlog::info("outbox dropped id={} channel=webhook webhook={} reason=deleted", message.id,
                     message.recipient);
        return;
      }
      webhooks_.Post(*webhook, message);
    }
  } catch (const DeliveryError& error) {
    std::optional<std::chrono::milliseconds> delay =
        options_.retry.DelayAfter(message.attempts, Jitter());
    std::optional<std::string> retry_at;
    if (delay) retry_at = At(std::chrono::system_clock::now() + *delay);
    store_.MarkOutboxAttemptFailed(message.id, error.what(), retry_at);
    if (retry_at) {
      spdlog::warn("outbox retry id={} channel={} attempt={} retry_at={} error=\"{}\"", message.id,
                   ToString(message.channel), message.attempts, *retry_at, error.what());
    } else {
      spdlog::error("outbox failed id={} channel={} attempts={} error=\"{}\"", message.id,
                    ToString(message.channel), message.attempts, error.what());
    }
    return;
  }
  store_.MarkOutboxSent(message.id, At(std::chrono::system_clock::now()));
  std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
  spdlog::info("outbox sent id={} channel={} event={} attempt={} duration_ms={:.1f}", message.id,
               ToString(message.channel), message.event_id, message.attempts, took.count());
}

}  // namespace numberdesk
