-- The procurement workflow: what a request gathers as it is worked, message
-- attachments, the numbers inventory and idempotency keys.

ALTER TABLE number_requests ADD COLUMN carrier_reference TEXT;
ALTER TABLE number_requests ADD COLUMN foc_date TEXT;
ALTER TABLE number_requests ADD COLUMN number TEXT;
ALTER TABLE number_requests ADD COLUMN status_changed_at TEXT NOT NULL DEFAULT '';
UPDATE number_requests SET status_changed_at = updated_at;

-- The support queue: oldest wait first, across accounts.
CREATE INDEX number_requests_by_wait ON number_requests (status_changed_at, seq);
CREATE INDEX number_requests_by_number_to_port ON number_requests (number_to_port)
  WHERE number_to_port IS NOT NULL;

ALTER TABLE request_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status_change'
  CHECK (kind IN ('status_change', 'message', 'note', 'documents'));

-- Documents may now be attachments of a message, and name the event that
-- brought them; SQLite cannot widen a CHECK in place, so the table is copied.
CREATE TABLE request_documents_v2 (
  id           TEXT PRIMARY KEY,
  request_id   TEXT NOT NULL REFERENCES number_requests (id),
  kind         TEXT NOT NULL CHECK (kind IN ('loa', 'bill', 'attachment')),
  file_name    TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes   INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  page_count   INTEGER NOT NULL,
  storage_path TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  event_id     TEXT REFERENCES request_events (id)
);
INSERT INTO request_documents_v2 (id, request_id, kind, file_name, content_type, size_bytes,
                                  sha256, page_count, storage_path, created_at)
  SELECT id, request_id, kind, file_name, content_type, size_bytes, sha256, page_count,
         storage_path, created_at
  FROM request_documents ORDER BY rowid;
DROP TABLE request_documents;
ALTER TABLE request_documents_v2 RENAME TO request_documents;
CREATE INDEX request_documents_by_request ON request_documents (request_id);

-- The numbers inventory. A number is active on one account at a time, and
-- always has a user to receive its faxes.
CREATE TABLE fax_numbers (
  id               TEXT PRIMARY KEY,
  number           TEXT NOT NULL,
  account_id       TEXT NOT NULL REFERENCES accounts (id),
  request_id       TEXT NOT NULL UNIQUE REFERENCES number_requests (id),
  assigned_user_id TEXT NOT NULL REFERENCES users (id),
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  activated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX fax_numbers_active_once ON fax_numbers (number) WHERE active = 1;
CREATE INDEX fax_numbers_by_account ON fax_numbers (account_id, number);

-- Idempotency-Key: one row per user and key, held while the first request
-- runs and then keeping its response for replays.
CREATE TABLE idempotency_keys (
  user_id     TEXT NOT NULL REFERENCES users (id),
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status      INTEGER,  -- NULL while the first request runs
  headers     TEXT,     -- JSON array of [name, value]
  body        BLOB,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
