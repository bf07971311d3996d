-- Notifications: an outbox of mail and webhook deliveries written in the
-- same transaction as the events that cause them, and the accounts' webhooks.

CREATE TABLE webhooks (
  id         TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,  -- signs deliveries; shown once, when created
  created_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX webhooks_by_account ON webhooks (account_id);

CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  event_id        TEXT NOT NULL REFERENCES request_events (id),
  channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  recipient       TEXT NOT NULL,  -- an email address, or a webhook id
  message_id      TEXT NOT NULL,  -- the Message-ID, or the delivery id
  payload         BLOB NOT NULL,  -- the RFC 5322 message, or the JSON body
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,  -- also the end of a delivery's lease
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT,
  UNIQUE (channel, message_id)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
