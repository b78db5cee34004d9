-- 002-suppression-history.sql: manual suppressions and a kept history.
-- `note` carries the reason a person gave (`oobproc suppress --reason`).
-- Every manual suppress and every unsuppress appends a row to
-- suppression_history, holding the suppression as it was at that moment,
-- so removing an address from the list never loses why it was there.

ALTER TABLE suppressions ADD COLUMN note TEXT;

CREATE TABLE suppression_history (
  id                 INTEGER PRIMARY KEY,
  address            TEXT    NOT NULL,          -- canonical form
  changed_at         INTEGER NOT NULL,
  change             TEXT    NOT NULL,          -- suppress unsuppress
  note               TEXT,                      -- the reason given with the change
  reason             TEXT,                      -- the suppression's reason at that moment
  classification     TEXT,
  status             TEXT,
  diagnostic         TEXT,
  first_seen         INTEGER,
  last_seen          INTEGER,
  count              INTEGER,
  expires_at         INTEGER
);
CREATE INDEX suppression_history_by_address ON suppression_history (address, changed_at);
