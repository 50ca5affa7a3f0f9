-- The reference server's store: the accounts, devices and IVRs seeded from a
-- target profile, and the CLIs that cli_add creates. Every statement is
-- idempotent; Open runs the whole file on every start.

CREATE TABLE IF NOT EXISTS accounts (
	id             INTEGER PRIMARY KEY,
	username       TEXT    NOT NULL UNIQUE,
	password       TEXT    NOT NULL DEFAULT '',
	secret_key     TEXT    NOT NULL DEFAULT '',
	type           TEXT    NOT NULL CHECK (type IN ('admin', 'reseller', 'accountant', 'user')),
	owner_id       INTEGER REFERENCES accounts (id),
	manage_devices INTEGER NOT NULL DEFAULT 0 CHECK (manage_devices IN (0, 1)),
	first_name     TEXT    NOT NULL DEFAULT '',
	last_name      TEXT    NOT NULL DEFAULT '',
	display_name   TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS devices (
	id       INTEGER PRIMARY KEY CHECK (id > 0),
	owner_id INTEGER NOT NULL REFERENCES accounts (id)
);

CREATE TABLE IF NOT EXISTS ivrs (
	id       INTEGER PRIMARY KEY CHECK (id > 0),
	owner_id INTEGER NOT NULL REFERENCES accounts (id)
);

CREATE TABLE IF NOT EXISTS clis (
	id          INTEGER PRIMARY KEY,
	number      TEXT    NOT NULL DEFAULT '',
	domain      TEXT    NOT NULL DEFAULT '',
	device_id   INTEGER NOT NULL REFERENCES devices (id),
	description TEXT    NOT NULL DEFAULT '',
	comment     TEXT    NOT NULL DEFAULT '',
	banned      INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1)),
	ivr_id      INTEGER REFERENCES ivrs (id),
	added_at    TEXT    NOT NULL
);

-- One CLI per (number, domain): the store, not the handler, decides which of
-- two simultaneous adds wins.
CREATE UNIQUE INDEX IF NOT EXISTS clis_number_domain ON clis (number, domain);
