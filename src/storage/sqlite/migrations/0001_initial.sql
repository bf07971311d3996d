-- The first schema: accounts, users, API tokens, number requests with their
-- documents and timeline.

CREATE TABLE accounts (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  default_user_id TEXT REFERENCES users (id),
  created_at      TEXT NOT NULL
);

CREATE TABLE users (
  id                     TEXT PRIMARY KEY,
  account_id             TEXT REFERENCES accounts (id),
  username               TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email                  TEXT NOT NULL,
  role                   TEXT NOT NULL
                         CHECK (role IN ('account_admin', 'fax_user', 'support_agent')),
  can_manage_fax_numbers INTEGER NOT NULL DEFAULT 0 CHECK (can_manage_fax_numbers IN (0, 1)),
  active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at             TEXT NOT NULL,
  CHECK ((role = 'support_agent') = (account_id IS NULL))
);

CREATE INDEX users_by_account ON users (account_id);

CREATE TABLE api_tokens (
  id             TEXT PRIMARY KEY,
  user_id        TEXT NOT NULL REFERENCES users (id),
  secret_hash    TEXT NOT NULL UNIQUE,
  display_prefix TEXT NOT NULL,
  label          TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  expires_at     TEXT,
  revoked_at     TEXT,
  last_used_at   TEXT
);

CREATE TABLE number_requests (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL UNIQUE,
  account_id        TEXT NOT NULL REFERENCES accounts (id),
  requester_user_id TEXT NOT NULL REFERENCES users (id),
  type              TEXT NOT NULL CHECK (type IN ('non_toll_free', 'toll_free', 'port_in')),
  status            TEXT NOT NULL,
  country_code      TEXT NOT NULL CHECK (country_code IN ('US', 'CA')),
  department_name   TEXT,
  assign_to_user_id TEXT REFERENCES users (id),
  notify_email      TEXT NOT NULL,  -- JSON array of strings
  comment           TEXT,
  forward_from      TEXT,
  region            TEXT,
  city              TEXT,
  area_code         TEXT NOT NULL,  -- JSON array of strings
  number_to_port    TEXT,
  toll_free         INTEGER CHECK (toll_free IN (0, 1)),
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);

CREATE INDEX number_requests_by_account ON number_requests (account_id, seq);

CREATE TABLE request_documents (
  id           TEXT PRIMARY KEY,
  request_id   TEXT NOT NULL REFERENCES number_requests (id),
  kind         TEXT NOT NULL CHECK (kind IN ('loa', 'bill')),
  file_name    TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes   INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  page_count   INTEGER NOT NULL,
  storage_path TEXT NOT NULL,
  created_at   TEXT NOT NULL
);

CREATE INDEX request_documents_by_request ON request_documents (request_id);

CREATE TABLE request_events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  id            TEXT NOT NULL UNIQUE,
  request_id    TEXT NOT NULL REFERENCES number_requests (id),
  actor_user_id TEXT NOT NULL REFERENCES users (id),
  occurred_at   TEXT NOT NULL,
  old_status    TEXT,
  new_status    TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  visibility    TEXT NOT NULL CHECK (visibility IN ('customer', 'internal'))
);

CREATE INDEX request_events_by_request ON request_events (request_id, seq);
