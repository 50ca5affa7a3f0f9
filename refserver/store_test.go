package refserver

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
)

// tableCounts returns the row count of every table.
func tableCounts(tb testing.TB, st *Store) map[string]int {
	tb.Helper()
	counts := map[string]int{}
	for _, table := range []string{"accounts", "devices", "ivrs", "clis"} {
		var n int
		require.NoError(tb, st.db.QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&n))
		counts[table] = n
	}
	return counts
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	st := newStore(t, false) // seeded once
	p := fixtures.Default()
	assert.Equal(t, map[string]int{"accounts": len(p.Accounts), "devices": len(p.Devices), "ivrs": len(p.IVRs), "clis": 0}, tableCounts(t, st))

	cli := CLI{Number: "37061234567", DeviceID: 2, AddedAt: fixedTime}
	require.NoError(t, st.AddCLI(ctx, &cli))
	admin, err := st.AccountByUsername(ctx, "admin")
	require.NoError(t, err)
	before := tableCounts(t, st)

	require.NoError(t, st.Seed(p), "seeding again")
	assert.Equal(t, before, tableCounts(t, st), "seeding twice changes no count")
	again, err := st.AccountByUsername(ctx, "admin")
	require.NoError(t, err)
	assert.Equal(t, admin, again, "an account keeps its id and fields")
	kept, err := st.FindCLI(ctx, cli.Number, "")
	require.NoError(t, err)
	assert.Equal(t, cli, kept, "the CLI is kept")

	t.Run("accounts as the profile says", func(t *testing.T) {
		jsmith, err := st.AccountByUsername(ctx, "jsmith")
		require.NoError(t, err)
		assert.Equal(t, Account{ID: jsmith.ID, Username: "jsmith", Password: "jsmith1", Type: fixtures.TypeUser,
			OwnerID: admin.ID, FirstName: "John", LastName: "Smith"}, jsmith)
		acc, err := st.AccountByUsername(ctx, "accountant1")
		require.NoError(t, err)
		assert.True(t, acc.ManageDevices)
		assert.Equal(t, admin.ID, acc.OwnerID)
		reseller, err := st.AccountByUsername(ctx, "reseller")
		require.NoError(t, err)
		assert.Equal(t, "r3s3ll3r-k3y", reseller.SecretKey)
		assert.Zero(t, reseller.OwnerID)
		d, err := st.Device(ctx, 7)
		require.NoError(t, err)
		mjones, err := st.AccountByID(ctx, d.OwnerID)
		require.NoError(t, err)
		assert.Equal(t, "mjones", mjones.Username)
		assert.Equal(t, reseller.ID, mjones.OwnerID)
		v, err := st.IVR(ctx, 5)
		require.NoError(t, err)
		assert.Equal(t, reseller.ID, v.OwnerID)
	})

	t.Run("a changed profile is upserted", func(t *testing.T) {
		changed := fixtures.Default()
		a := changed.Accounts[fixtures.RoleAdminUser]
		a.FirstName, a.DisplayName = "Johnny", "J. Smith"
		changed.Accounts[fixtures.RoleAdminUser] = a
		require.NoError(t, st.Seed(changed))
		jsmith, err := st.AccountByUsername(ctx, "jsmith")
		require.NoError(t, err)
		assert.Equal(t, "J. Smith", jsmith.Name())
		require.NoError(t, st.Seed(p))
		assert.Equal(t, before, tableCounts(t, st))
	})

	t.Run("an invalid profile is refused", func(t *testing.T) {
		bad := fixtures.Default()
		delete(bad.Accounts, fixtures.RoleAdmin)
		assert.ErrorContains(t, st.Seed(bad), "accounts.admin: missing")
		assert.ErrorContains(t, st.Seed(nil), "no profile")
		assert.Equal(t, before, tableCounts(t, st))
	})
}

func TestLookupsNotFound(t *testing.T) {
	ctx := context.Background()
	st := newStore(t, false)
	_, err := st.AccountByUsername(ctx, "nobody")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = st.AccountByID(ctx, 999999)
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = st.Device(ctx, 999999)
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = st.IVR(ctx, 999999)
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = st.FindCLI(ctx, "1", "")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = st.CLIHolder(ctx, "1", "")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestAddCLI(t *testing.T) {
	ctx := context.Background()
	st := newStore(t, false)
	add := func(c CLI) error { return st.AddCLI(ctx, &c) }

	first := CLI{Number: "100", DeviceID: 2, IVRID: 2, Banned: true, Description: "d", Comment: "c", AddedAt: fixedTime}
	require.NoError(t, st.AddCLI(ctx, &first))
	assert.Positive(t, first.ID)

	assert.ErrorIs(t, add(CLI{Number: "100", DeviceID: 3, AddedAt: fixedTime}), ErrCLIExists, "same number, same (empty) domain")
	assert.NoError(t, add(CLI{Number: "100", Domain: "a.example.com", DeviceID: 2, AddedAt: fixedTime}), "same number, another domain")
	assert.ErrorIs(t, add(CLI{Number: "100", Domain: "a.example.com", DeviceID: 7, AddedAt: fixedTime}), ErrCLIExists)
	assert.NoError(t, add(CLI{Domain: "a.example.com", DeviceID: 2, AddedAt: fixedTime}), "domain only")
	assert.ErrorIs(t, add(CLI{Domain: "a.example.com", DeviceID: 2, AddedAt: fixedTime}), ErrCLIExists)

	err := add(CLI{Number: "101", DeviceID: 999999, AddedAt: fixedTime})
	require.Error(t, err, "foreign keys are enforced")
	assert.NotErrorIs(t, err, ErrCLIExists)
	assert.Error(t, add(CLI{Number: "102", DeviceID: 2, IVRID: 999999, AddedAt: fixedTime}))

	got, err := st.FindCLI(ctx, "100", "")
	require.NoError(t, err)
	assert.Equal(t, first, got)
	holder, err := st.CLIHolder(ctx, "100", "")
	require.NoError(t, err)
	assert.Equal(t, "jsmith", holder.Username)

	n, err := st.CountCLIs(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	t.Run("the clock's time zone does not matter", func(t *testing.T) {
		local := CLI{Number: "200", DeviceID: 2, AddedAt: fixedTime.In(time.FixedZone("EET", 2*3600))}
		require.NoError(t, st.AddCLI(ctx, &local))
		got, err := st.FindCLI(ctx, "200", "")
		require.NoError(t, err)
		assert.True(t, got.AddedAt.Equal(fixedTime))
		assert.Equal(t, time.UTC, got.AddedAt.Location())
	})
}

func TestOpen(t *testing.T) {
	ctx := context.Background()

	t.Run("a file database keeps CLIs across reopening", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cli.db")
		st, err := Open(path)
		require.NoError(t, err)
		require.NoError(t, st.Seed(fixtures.Default()))
		c := CLI{Number: "555", DeviceID: 2, AddedAt: fixedTime}
		require.NoError(t, st.AddCLI(ctx, &c))
		require.NoError(t, st.Close())

		st, err = Open(path)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		require.NoError(t, st.Seed(fixtures.Default()))
		got, err := st.FindCLI(ctx, "555", "")
		require.NoError(t, err)
		assert.Equal(t, c, got)

		var mode string
		require.NoError(t, st.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
		assert.Equal(t, "wal", mode)
		var sync, fk int
		require.NoError(t, st.db.QueryRow(`PRAGMA synchronous`).Scan(&sync))
		assert.Equal(t, 2, sync, "synchronous=FULL")
		require.NoError(t, st.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk))
		assert.Equal(t, 1, fk)
	})

	t.Run(":memory: is one database however many queries run", func(t *testing.T) {
		st, err := Open(MemoryPath)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		require.NoError(t, st.Seed(fixtures.Default()))
		// Hold a result set open while other queries run: with more than one
		// connection they would see an empty database.
		rows, err := st.db.QueryContext(ctx, `SELECT id FROM accounts`)
		require.NoError(t, err)
		var ids []int64
		for rows.Next() {
			var id int64
			require.NoError(t, rows.Scan(&id))
			ids = append(ids, id)
		}
		require.NoError(t, rows.Close())
		for _, id := range ids {
			_, err := st.AccountByID(ctx, id)
			assert.NoError(t, err)
		}
		assert.Equal(t, 1, st.db.Stats().MaxOpenConnections)
	})

	t.Run("the unique index exists", func(t *testing.T) {
		st := newStore(t, true)
		var unique int
		require.NoError(t, st.db.QueryRow(`SELECT "unique" FROM pragma_index_list('clis') WHERE name = 'clis_number_domain'`).Scan(&unique))
		assert.Equal(t, 1, unique)
	})

	t.Run("bad paths", func(t *testing.T) {
		_, err := Open("")
		assert.ErrorContains(t, err, "empty database path")
		_, err = Open("a?b.db")
		assert.ErrorContains(t, err, "must not contain '?'")
		_, err = Open(filepath.Join(t.TempDir(), "missing", "dir", "x.db"))
		assert.ErrorContains(t, err, "open store")
	})

	t.Run("use after Close fails cleanly", func(t *testing.T) {
		st, err := Open(MemoryPath)
		require.NoError(t, err)
		require.NoError(t, st.Close())
		_, err = st.CountCLIs(ctx)
		assert.ErrorContains(t, err, "database is closed")
	})
}

func TestAccountName(t *testing.T) {
	cases := []struct {
		a    Account
		want string
	}{
		{Account{Username: "jsmith", FirstName: "John", LastName: "Smith"}, "John Smith"},
		{Account{Username: "jsmith", FirstName: "  John ", LastName: " Smith  "}, "John Smith"},
		{Account{Username: "jsmith", FirstName: "John"}, "John"},
		{Account{Username: "jsmith", LastName: "Smith"}, "Smith"},
		{Account{Username: "mjones"}, "mjones"},
		{Account{Username: "mjones", FirstName: " ", LastName: "\t"}, "mjones"},
		{Account{Username: "jsmith", FirstName: "John", LastName: "Smith", DisplayName: "Mr Smith"}, "Mr Smith"},
		{Account{Username: "jsmith", FirstName: "John", DisplayName: "  "}, "John"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.a.Name())
		})
	}
}
