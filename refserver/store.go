package refserver

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/morcheck/morcheck/fixtures"
)

//go:embed schema.sql
var schema string

// MemoryPath is the database path that keeps the store in memory only: it
// lasts as long as the Store and is gone after Close.
const MemoryPath = ":memory:"

// busyTimeout is how long a statement waits for another connection's write
// lock before failing; simultaneous adds queue on it.
const busyTimeout = 10 * time.Second

// Errors the store reports. Compare with errors.Is.
var (
	// ErrNotFound means no row has the requested key.
	ErrNotFound = errors.New("not found")
	// ErrCLIExists means a CLI with the same number and domain is stored.
	ErrCLIExists = errors.New("CLI already exists")
)

// Store is the reference server's SQLite database: accounts, devices and
// IVRs seeded from a profile, and the CLIs that cli_add creates. Open it with
// Open, fill it with Seed, and Close it when done. A Store is safe for
// concurrent use.
type Store struct {
	db *sql.DB
}

// Account is an account of the billing system: an admin, a reseller, an
// accountant or a user.
type Account struct {
	ID            int64
	Username      string
	Password      string
	SecretKey     string // admins and resellers sign API calls with it
	Type          string // fixtures.TypeAdmin, TypeReseller, TypeAccountant or TypeUser
	OwnerID       int64  // accountants and users: the owning admin or reseller; 0 for none
	ManageDevices bool   // accountants: may manage devices (and so add CLIs)
	FirstName     string
	LastName      string
	DisplayName   string // how "already exists" names this account; optional
}

// Name is how the API names the account as the owner of a device: the
// display name if the profile gives one, else "First Last" (trimmed, one
// space), else the username when both names are blank.
func (a Account) Name() string {
	if n := strings.TrimSpace(a.DisplayName); n != "" {
		return n
	}
	parts := slices.DeleteFunc([]string{strings.TrimSpace(a.FirstName), strings.TrimSpace(a.LastName)},
		func(s string) bool { return s == "" })
	if len(parts) == 0 {
		return a.Username
	}
	return strings.Join(parts, " ")
}

// Device is a device; OwnerID is the user that owns it.
type Device struct {
	ID      int64
	OwnerID int64
}

// IVR is an IVR; OwnerID is the admin or reseller that owns it.
type IVR struct {
	ID      int64
	OwnerID int64
}

// CLI is a caller line identity assigned to a device.
type CLI struct {
	ID          int64 // set by AddCLI
	Number      string
	Domain      string
	DeviceID    int64
	Description string
	Comment     string
	Banned      bool
	IVRID       int64 // 0 when no IVR is assigned
	AddedAt     time.Time
}

// Open opens (creating if needed) the SQLite database at path and applies the
// schema. path may be MemoryPath (":memory:") for a store that lives only as
// long as the returned Store. The database runs in WAL mode with
// synchronous=FULL, so a CLI is on disk once AddCLI returns. The caller must
// Close the store.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open store: empty database path")
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open store: database path %q must not contain '?'", path)
	}
	dsn := path + "?" + strings.Join([]string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()),
		"_pragma=foreign_keys(1)",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(FULL)",
		"_txlock=immediate", // take the write lock at BEGIN, so a transaction never fails to upgrade
	}, "&")
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if path == MemoryPath {
		// Every connection to :memory: is a database of its own: keep exactly
		// one, forever.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: apply schema: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database. The Store must not be used afterwards.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Seed loads a profile's accounts, devices and IVRs into the store. It
// upserts (accounts by username, devices and IVRs by id) in one transaction,
// never deletes, and keeps every stored CLI: seeding the same profile twice
// changes nothing.
func (s *Store) Seed(p *fixtures.Profile) error {
	if p == nil {
		return errors.New("seed: no profile")
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	roles := make([]string, 0, len(p.Accounts))
	for role := range p.Accounts {
		roles = append(roles, role)
	}
	// Owners (admins and resellers) first, so accountants and users can
	// refer to them; by role name within each group for a stable order.
	slices.SortFunc(roles, func(a, b string) int {
		ao, bo := p.Accounts[a].Owner != "", p.Accounts[b].Owner != ""
		if ao != bo {
			if ao {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	ids := make(map[string]int64, len(roles))
	for _, role := range roles {
		a := p.Accounts[role]
		var owner sql.NullInt64
		if a.Owner != "" {
			owner = sql.NullInt64{Int64: ids[a.Owner], Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO accounts (username, password, secret_key, type, owner_id, manage_devices, first_name, last_name, display_name)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (username) DO UPDATE SET
				password = excluded.password, secret_key = excluded.secret_key, type = excluded.type,
				owner_id = excluded.owner_id, manage_devices = excluded.manage_devices,
				first_name = excluded.first_name, last_name = excluded.last_name, display_name = excluded.display_name`,
			a.Username, a.Password, a.SecretKey, a.Type, owner, a.ManageDevices, a.FirstName, a.LastName, a.DisplayName,
		); err != nil {
			return fmt.Errorf("seed account %s: %w", role, err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM accounts WHERE username = ?`, a.Username).Scan(&id); err != nil {
			return fmt.Errorf("seed account %s: %w", role, err)
		}
		ids[role] = id
	}
	for role, d := range p.Devices {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO devices (id, owner_id) VALUES (?, ?)
			ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id`, d.ID, ids[d.Owner]); err != nil {
			return fmt.Errorf("seed device %s: %w", role, err)
		}
	}
	for role, v := range p.IVRs {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO ivrs (id, owner_id) VALUES (?, ?)
			ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id`, v.ID, ids[v.Owner]); err != nil {
			return fmt.Errorf("seed IVR %s: %w", role, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// accountColumns are the columns scanAccount reads, from accounts aliased a.
const accountColumns = `a.id, a.username, a.password, a.secret_key, a.type, COALESCE(a.owner_id, 0), a.manage_devices, a.first_name, a.last_name, a.display_name`

func scanAccount(row *sql.Row) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.Username, &a.Password, &a.SecretKey, &a.Type, &a.OwnerID, &a.ManageDevices, &a.FirstName, &a.LastName, &a.DisplayName)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	return a, err
}

// AccountByUsername returns the account with the given username, or
// ErrNotFound.
func (s *Store) AccountByUsername(ctx context.Context, username string) (Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE username = ?`, username))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Account{}, fmt.Errorf("account by username: %w", err)
	}
	return a, err
}

// AccountByID returns the account with the given id, or ErrNotFound.
func (s *Store) AccountByID(ctx context.Context, id int64) (Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE id = ?`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Account{}, fmt.Errorf("account %d: %w", id, err)
	}
	return a, err
}

// Device returns the device with the given id, or ErrNotFound.
func (s *Store) Device(ctx context.Context, id int64) (Device, error) {
	owner, err := s.ownerOf(ctx, `SELECT owner_id FROM devices WHERE id = ?`, "device", id)
	if err != nil {
		return Device{}, err
	}
	return Device{ID: id, OwnerID: owner}, nil
}

// IVR returns the IVR with the given id, or ErrNotFound.
func (s *Store) IVR(ctx context.Context, id int64) (IVR, error) {
	owner, err := s.ownerOf(ctx, `SELECT owner_id FROM ivrs WHERE id = ?`, "IVR", id)
	if err != nil {
		return IVR{}, err
	}
	return IVR{ID: id, OwnerID: owner}, nil
}

// ownerOf runs query, which selects the owner_id of the row with the id it
// is given, and returns that owner, or ErrNotFound when no row has the id.
// what names the row in other errors ("device 7: ...").
func (s *Store) ownerOf(ctx context.Context, query, what string, id int64) (int64, error) {
	var owner int64
	err := s.db.QueryRowContext(ctx, query, id).Scan(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, ErrNotFound
	case err != nil:
		return 0, fmt.Errorf("%s %d: %w", what, id, err)
	}
	return owner, nil
}

// AddCLI stores c and sets c.ID. It returns ErrCLIExists when a CLI with the
// same number and domain is already stored; the unique index decides, so of
// two simultaneous adds exactly one succeeds. The CLI is committed (and, on
// a file database, synced) when AddCLI returns nil.
func (s *Store) AddCLI(ctx context.Context, c *CLI) error {
	var ivr sql.NullInt64
	if c.IVRID != 0 {
		ivr = sql.NullInt64{Int64: c.IVRID, Valid: true}
	}
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO clis (number, domain, device_id, description, comment, banned, ivr_id, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Number, c.Domain, c.DeviceID, c.Description, c.Comment, c.Banned, ivr, formatTime(c.AddedAt))
	if err != nil {
		if isUniqueViolation(err) {
			return ErrCLIExists
		}
		return fmt.Errorf("add CLI: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("add CLI: %w", err)
	}
	c.ID = id
	return nil
}

// FindCLI returns the CLI with the given number and domain, or ErrNotFound.
func (s *Store) FindCLI(ctx context.Context, number, domain string) (CLI, error) {
	var (
		c       CLI
		addedAt string
	)
	err := s.db.QueryRowContext(ctx, `
		SELECT id, number, domain, device_id, description, comment, banned, COALESCE(ivr_id, 0), added_at
		FROM clis WHERE number = ? AND domain = ?`, number, domain,
	).Scan(&c.ID, &c.Number, &c.Domain, &c.DeviceID, &c.Description, &c.Comment, &c.Banned, &c.IVRID, &addedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return CLI{}, ErrNotFound
	case err != nil:
		return CLI{}, fmt.Errorf("find CLI: %w", err)
	}
	if c.AddedAt, err = time.Parse(time.RFC3339Nano, addedAt); err != nil {
		return CLI{}, fmt.Errorf("find CLI: added_at %q: %w", addedAt, err)
	}
	return c, nil
}

// CLIHolder returns the account that owns the device holding the CLI with
// the given number and domain, or ErrNotFound.
func (s *Store) CLIHolder(ctx context.Context, number, domain string) (Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, `
		SELECT `+accountColumns+`
		FROM clis c JOIN devices d ON d.id = c.device_id JOIN accounts a ON a.id = d.owner_id
		WHERE c.number = ? AND c.domain = ?`, number, domain))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Account{}, fmt.Errorf("CLI holder: %w", err)
	}
	return a, err
}

// CountCLIs returns how many CLIs are stored.
func (s *Store) CountCLIs(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM clis`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count CLIs: %w", err)
	}
	return n, nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}
