-- 001-initial.sql: messages, per-recipient events and suppressions.
-- Times are Unix seconds (UTC).  Addresses are stored as reported, with
-- the domain lower-cased; `address` in suppressions is the lookup key.

CREATE TABLE messages (
  id                 INTEGER PRIMARY KEY,
  sha256             TEXT    NOT NULL,          -- of the raw bytes, From line excluded
  message_id         TEXT,                      -- Message-ID of the report itself
  received_at        INTEGER NOT NULL,
  kind               TEXT    NOT NULL,          -- dsn bounce feedback autoreply unknown
  parser             TEXT,                      -- which parser understood it
  envelope_sender    TEXT,
  envelope_recipient TEXT,
  reporting_mta      TEXT,
  size               INTEGER NOT NULL,
  truncated          INTEGER NOT NULL DEFAULT 0,
  note               TEXT,
  raw                BLOB                       -- kept for messages not understood
);
CREATE INDEX messages_by_sha256 ON messages (sha256, received_at);
CREATE INDEX messages_by_time ON messages (received_at);

CREATE TABLE events (
  id                 INTEGER PRIMARY KEY,
  message            INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  created_at         INTEGER NOT NULL,
  kind               TEXT    NOT NULL,          -- bounce delay delivered relayed expanded feedback autoreply unknown
  recipient          TEXT,
  recipient_domain   TEXT,
  original_recipient TEXT,
  dsn_action         TEXT,
  status             TEXT,
  smtp_code          INTEGER,
  diagnostic         TEXT,
  remote_mta         TEXT,
  reporting_mta      TEXT,
  classification     TEXT,
  rule               TEXT,
  action             TEXT,                      -- suppress soft complaint ignore
  feedback_type      TEXT,
  orig_message_id    TEXT,
  campaign           TEXT,
  tenant             TEXT,
  verified           INTEGER NOT NULL DEFAULT 1, -- 0: a required VERP signature failed
  note               TEXT
);
CREATE INDEX events_by_recipient ON events (recipient, created_at);
CREATE INDEX events_by_time ON events (created_at);
CREATE INDEX events_by_domain ON events (recipient_domain, created_at);

CREATE TABLE suppressions (
  address            TEXT    PRIMARY KEY,       -- canonical form, see store.c
  reason             TEXT    NOT NULL,          -- bounce soft complaint manual
  classification     TEXT,
  rule               TEXT,
  status             TEXT,
  diagnostic         TEXT,
  first_seen         INTEGER NOT NULL,
  last_seen          INTEGER NOT NULL,
  count              INTEGER NOT NULL DEFAULT 1,
  expires_at         INTEGER                    -- NULL: never
) WITHOUT ROWID;
