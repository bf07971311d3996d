#ifndef NUMBERDESK_NOTIFY_OUTBOX_WORKER_H_
#define NUMBERDESK_NOTIFY_OUTBOX_WORKER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "notify/transports.h"
#include "storage/store.h"

namespace numberdesk {

// RetryPolicy says when a failed delivery is tried again: `initial` after
// the first failure, doubling each time up to `max`, each delay drawn
// within 20% below it so that messages failed together spread out; after
// `max_attempts` failed attempts the message is failed for good.
struct RetryPolicy {
  std::chrono::milliseconds initial{30'000};
  std::chrono::milliseconds max{3'600'000};
  int max_attempts = 12;

  // DelayAfter returns the wait after failed attempt number `attempt`
  // (1 for the first), or nothing when no attempt is left. `jitter` in
  // [0, 1) picks the delay within its band; 0 gives the longest.
  std::optional<std::chrono::milliseconds> DelayAfter(int attempt, double jitter) const;
};

struct OutboxWorkerOptions {
  RetryPolicy retry;
  // How long a claimed message is held while it is delivered. A server that
  // dies mid-delivery leaves the message to be tried again once this runs
  // out, so it must be longer than a transport's time-out.
  std::chrono::milliseconds lease{120'000};
  // How often the outbox is looked at when there is nothing to do.
  std::chrono::milliseconds poll{250};
  int batch = 20;
};

// OutboxWorker delivers the outbox in the background: one thread for mail
// and one for webhooks, so that a slow webhook receiver never holds up mail.
// Each claims due messages, hands each to its transport and records the
// outcome; a message is marked sent only after its transport accepted it,
// so a crash in between sends it again, with the same Message-ID or
// delivery id, once the lease runs out: at least once, never lost.
class OutboxWorker {
 public:
  OutboxWorker(Store& store, MailTransport& mail, WebhookTransport& webhooks,
               OutboxWorkerOptions options);
  ~OutboxWorker();  // stops
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  void Start();
  // Stop lets the deliveries in hand finish and joins the threads.
  void Stop();

  // DeliverDue delivers what is due on `channel` now, once, on the calling
  // thread, and returns how many messages it tried. For tests and for
  // Start's threads.
  int DeliverDue(OutboxChannel channel);

 private:
  void Run(OutboxChannel channel);
  void Deliver(const OutboxMessage& message);

  Store& store_;
  MailTransport& mail_;
  WebhookTransport& webhooks_;
  OutboxWorkerOptions options_;
  std::mutex mutex_;
  std::condition_variable stopping_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace numberdesk

#endif  // NUMBERDESK_NOTIFY_OUTBOX_WORKER_H_
