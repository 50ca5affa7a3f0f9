package refserver

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
)

// request builds a signed request: the admin's valid add, edited, then signed
// with key in the documented order. edit may delete or change anything.
func request(key string, edit func(v url.Values)) url.Values {
	v := adminAdd()
	if edit != nil {
		edit(v)
	}
	return sign(v, key)
}

// as makes the request come from another account.
func as(user string) func(url.Values) { return func(v url.Values) { v.Set("u", user) } }

// set sets name/value pairs.
func set(kv ...string) func(url.Values) {
	return func(v url.Values) {
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
	}
}

// del deletes parameters.
func del(names ...string) func(url.Values) {
	return func(v url.Values) {
		for _, n := range names {
			v.Del(n)
		}
	}
}

// all applies edits in turn.
func all(edits ...func(url.Values)) func(url.Values) {
	return func(v url.Values) {
		for _, e := range edits {
			e(v)
		}
	}
}

// TestCLIAddOutcomes sends one request per row and checks the message, the
// order in which the checks run (each row breaks several rules; the first
// check wins), and that a refused request stores nothing.
func TestCLIAddOutcomes(t *testing.T) {
	cases := []struct {
		name   string
		values url.Values
		want   string
	}{
		// Access Denied comes first.
		{"u missing, hash missing too", request(adminKey, del("u", "hash")), msgAccessDenied},
		{"u empty", request(adminKey, set("u", "")), msgAccessDenied},
		{"u unknown", request(adminKey, as("nobody")), msgAccessDenied},
		{"p wrong", request(adminKey, set("p", "wrong")), msgAccessDenied},
		{"p empty", request(adminKey, set("p", "")), msgAccessDenied},
		{"p right", request(adminKey, set("p", "admin1")), msgCreated},
		{"p absent", request(adminKey, nil), msgCreated},

		// Incorrect hash.
		{"hash missing", without(request(adminKey, nil), "hash"), msgIncorrectHash},
		{"hash of another key", request("456788", nil), msgIncorrectHash},
		{"hash garbage", with(without(request(adminKey, nil), "hash"), "hash", "x"), msgIncorrectHash},
		{"hash before not authorised", request("wrong", as("jsmith")), msgIncorrectHash},
		{"hash includes cli_domain", withDomainInHash(), msgIncorrectHash},
		{"hash includes u and p", withUserInHash(), msgIncorrectHash},
		{"reseller signs with the admin's key", request(adminKey, all(as("reseller"), set("device_id", resellerDev))), msgIncorrectHash},
		{"accountant signs with the reseller's key", request(resellerKey, as("accountant1")), msgIncorrectHash},
		{"reseller's user signs with the admin's key", request(adminKey, all(as("mjones"), set("device_id", resellerDev))), msgIncorrectHash},

		// Not authorised.
		{"a user, correctly signed with its owner's key", request(adminKey, as("jsmith")), msgNotAuthorised},
		{"a reseller's user, signed with the reseller's key", request(resellerKey, all(as("mjones"), set("device_id", resellerDev))), msgNotAuthorised},
		{"accountant without Manage Devices", request(adminKey, as("accountant2")), msgNotAuthorised},
		{"not authorised before Device ID", request(adminKey, all(as("accountant2"), del("device_id", "cli_number"))), msgNotAuthorised},

		// Device ID cannot be empty.
		{"device_id missing, CLI missing too", request(adminKey, del("device_id", "cli_number")), msgDeviceIDEmpty},
		{"device_id empty", request(adminKey, set("device_id", "")), msgDeviceIDEmpty},

		// CLI Number cannot be empty.
		{"no cli_number nor cli_domain, IVR bad too", request(adminKey, all(del("cli_number"), set("ivr_id", absentID))), msgCLIEmpty},
		{"cli_number and cli_domain empty", request(adminKey, set("cli_number", "", "cli_domain", "")), msgCLIEmpty},
		{"CLI empty before device not found", request(adminKey, all(del("cli_number"), set("device_id", absentID))), msgCLIEmpty},

		// Device was not found.
		{"device absent, IVR and CLI bad too", request(adminKey, set("device_id", absentID, "ivr_id", absentID, "cli_number", "12a")), msgDeviceNotFound},
		{"admin to a reseller's user's device", request(adminKey, set("device_id", resellerDev)), msgDeviceNotFound},
		{"reseller to an admin's user's device", request(resellerKey, all(as("reseller"), set("device_id", adminDevice))), msgDeviceNotFound},
		{"accountant to a reseller's user's device", request(adminKey, all(as("accountant1"), set("device_id", resellerDev))), msgDeviceNotFound},
		{"device_id not a number", request(adminKey, set("device_id", "abc")), msgDeviceNotFound},
		{"device_id zero", request(adminKey, set("device_id", "0")), msgDeviceNotFound},
		{"device_id negative", request(adminKey, set("device_id", "-2")), msgDeviceNotFound},
		{"device_id with a plus sign", request(adminKey, set("device_id", "+2")), msgDeviceNotFound},
		{"device_id with a space", request(adminKey, set("device_id", " 2")), msgDeviceNotFound},
		{"device_id a decimal", request(adminKey, set("device_id", "2.0")), msgDeviceNotFound},
		{"device_id beyond int64", request(adminKey, set("device_id", "99999999999999999999")), msgDeviceNotFound},

		// IVR was not found.
		{"ivr_id sent empty, CLI bad too", request(adminKey, set("ivr_id", "", "cli_number", "12a")), msgIVRNotFound},
		{"ivr_id absent from the store", request(adminKey, set("ivr_id", absentID)), msgIVRNotFound},
		{"ivr_id of the reseller, used by the admin", request(adminKey, set("ivr_id", resellerIVR)), msgIVRNotFound},
		{"ivr_id of the admin, used by the reseller", request(resellerKey, all(as("reseller"), set("device_id", resellerDev, "ivr_id", adminIVR))), msgIVRNotFound},
		{"ivr_id not a number", request(adminKey, set("ivr_id", "abc")), msgIVRNotFound},
		{"ivr_id zero", request(adminKey, set("ivr_id", "0")), msgIVRNotFound},

		// CLI must be numeric.
		{"cli_number with a letter, banned bad too", request(adminKey, set("cli_number", "12a", "banned", "2")), msgNotNumeric},
		{"cli_number with a plus", request(adminKey, set("cli_number", "+37061234567")), msgNotNumeric},
		{"cli_number with a space", request(adminKey, set("cli_number", "370 6123")), msgNotNumeric},
		{"cli_number with a dot", request(adminKey, set("cli_number", "12.3")), msgNotNumeric},
		{"cli_number in full-width digits", request(adminKey, set("cli_number", "１２３")), msgNotNumeric},
		{"cli_number negative", request(adminKey, set("cli_number", "-123")), msgNotNumeric},

		// banned.
		{"banned 2", request(adminKey, set("banned", "2")), msgBannedInvalid},
		{"banned yes", request(adminKey, set("banned", "yes")), msgBannedInvalid},
		{"banned true", request(adminKey, set("banned", "true")), msgBannedInvalid},
		{"banned 01", request(adminKey, set("banned", "01")), msgBannedInvalid},
		{"banned 0", request(adminKey, set("banned", "0")), msgCreated},
		{"banned 1", request(adminKey, set("banned", "1")), msgCreated},
		{"banned empty", request(adminKey, set("banned", "")), msgCreated},

		// Created.
		{"the spec's example, with a valid hash", specExample(), msgCreated},
		{"admin, another device of its user", request(adminKey, set("device_id", adminDevice2)), msgCreated},
		{"admin with its IVR", request(adminKey, set("ivr_id", adminIVR)), msgCreated},
		{"reseller with its own key, its user's device and IVR", request(resellerKey, all(as("reseller"), set("device_id", resellerDev, "ivr_id", resellerIVR))), msgCreated},
		{"accountant with Manage Devices, its owner's key", request(adminKey, all(as("accountant1"), set("ivr_id", adminIVR))), msgCreated},
		{"accountant with its password", request(adminKey, all(as("accountant1"), set("p", fixtures.Default().Accounts[fixtures.RoleAccountantManage].Password))), msgCreated},
		{"domain only", request(adminKey, all(del("cli_number"), set("cli_domain", "sip.example.com"))), msgCreated},
		{"number and domain, domain not hashed", request(adminKey, set("cli_domain", "d.example.com")), msgCreated},
		{"test=1 is ignored", with(request(adminKey, nil), "test", "1"), msgCreated},
		{"unknown parameters are ignored", with(with(request(adminKey, nil), "foo", "bar"), "foo", "baz"), msgCreated},
		{"revision hash order", signWith(adminAdd(), adminKey, revisionOrder), msgCreated},
		{"revision order, all parameters", signWith(fullAdd(), adminKey, revisionOrder), msgCreated},
		{"documented order, all parameters", signWith(fullAdd(), adminKey, documentedOrder), msgCreated},
		{"client library: device_id then cli_number", signWith(adminAdd(), adminKey, []string{"device_id", "cli_number"}), msgCreated},
		{"upper-case hash", upperHash(request(adminKey, nil)), msgCreated},
		{"description and comment with markup", request(adminKey, set("cli_description", "<b>&amp;</b>", "comment", "]]>")), msgCreated},
		{"a 255-byte comment", request(adminKey, set("comment", strings.Repeat("é", 127)+"x")), msgCreated},
	}
	h, st := newHandler(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := countCLIs(t, st)
			a := post(t, h, tc.values)
			assert.Equal(t, http.StatusOK, a.status)
			assert.Equal(t, tc.want, a.message)
			assert.Equal(t, tc.want != msgCreated, a.isError, "an error is inside <error>")
			after := countCLIs(t, st)
			if tc.want == msgCreated {
				assert.Equal(t, before+1, after, "one CLI is stored")
			} else {
				assert.Equal(t, before, after, "a refused request stores nothing")
			}
		})
	}
}

// with adds a value to v after signing (so it is outside the hash).
func with(v url.Values, name, value string) url.Values {
	v.Add(name, value)
	return v
}

// without deletes a parameter after signing.
func without(v url.Values, name string) url.Values {
	v.Del(name)
	return v
}

// fullAdd sends every hashed parameter.
func fullAdd() url.Values {
	v := adminAdd()
	v.Set("cli_description", "description")
	v.Set("comment", "comment")
	v.Set("banned", "1")
	v.Set("ivr_id", adminIVR)
	return v
}

// specExample is the request of cli_add.txt (with a fresh CLI number, and a
// real hash instead of the page's placeholder).
func specExample() url.Values {
	v := url.Values{
		"u": {"admin"}, "cli_number": {freshCLI()}, "cli_description": {"description"}, "comment": {"comment"},
		"ivr_id": {"2"}, "banned": {"1"}, "device_id": {"2"}, "test": {"1"},
	}
	return sign(v, adminKey)
}

// withDomainInHash signs cli_domain into the hash, which the spec forbids.
func withDomainInHash() url.Values {
	v := adminAdd()
	v.Set("cli_domain", "d.example.com")
	return signWith(v, adminKey, append([]string{"cli_domain"}, documentedOrder...))
}

// withUserInHash signs u and p into the hash, which the spec forbids.
func withUserInHash() url.Values {
	v := adminAdd()
	v.Set("p", "admin1")
	return signWith(v, adminKey, append([]string{"u", "p"}, documentedOrder...))
}

func upperHash(v url.Values) url.Values {
	v.Set("hash", strings.ToUpper(v.Get("hash")))
	return v
}

func TestAlreadyExistsNamesTheDeviceOwner(t *testing.T) {
	h, st := newHandler(t)
	number := freshCLI()
	require.Equal(t, msgCreated, post(t, h, request(adminKey, set("cli_number", number))).message)

	cases := []struct {
		name   string
		values url.Values
		want   string
	}{
		{"the same CLI again", request(adminKey, set("cli_number", number)), "CLI already exists. It is assigned to John Smith device"},
		{"on another device", request(adminKey, set("cli_number", number, "device_id", adminDevice2)), "CLI already exists. It is assigned to John Smith device"},
		{"by a reseller, to its own device", request(resellerKey, all(as("reseller"), set("cli_number", number, "device_id", resellerDev))), "CLI already exists. It is assigned to John Smith device"},
		{"the same number in a domain is another CLI", request(adminKey, set("cli_number", number, "cli_domain", "x.example.com")), msgCreated},
		{"and then exists too", request(adminKey, set("cli_number", number, "cli_domain", "x.example.com")), "CLI already exists. It is assigned to John Smith device"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := countCLIs(t, st)
			a := post(t, h, tc.values)
			assert.Equal(t, tc.want, a.message)
			if tc.want != msgCreated {
				assert.Equal(t, before, countCLIs(t, st))
			}
		})
	}

	t.Run("a user without names is named by username", func(t *testing.T) {
		v := request(resellerKey, all(as("reseller"), set("device_id", resellerDev)))
		require.Equal(t, msgCreated, post(t, h, v).message)
		assert.Equal(t, "CLI already exists. It is assigned to mjones device", post(t, h, v).message)
	})
	t.Run("a domain-only CLI", func(t *testing.T) {
		v := request(adminKey, all(del("cli_number"), set("cli_domain", "only."+freshCLI()+".example.com")))
		require.Equal(t, msgCreated, post(t, h, v).message)
		assert.Equal(t, "CLI already exists. It is assigned to John Smith device", post(t, h, v).message)
	})
}

var fixedTime = time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC)

func fixedClock() time.Time { return fixedTime }

func TestStoredCLIHoldsWhatWasSent(t *testing.T) {
	cases := []struct {
		name string
		edit func(url.Values)
		want CLI
	}{
		{"every field", set("cli_description", "desc", "comment", "note", "banned", "1", "ivr_id", adminIVR, "cli_domain", "sip.example.com"),
			CLI{DeviceID: 2, Description: "desc", Comment: "note", Banned: true, IVRID: 2, Domain: "sip.example.com"}},
		{"defaults", nil, CLI{DeviceID: 2}},
		{"SQL metacharacters verbatim", set(
			"cli_description", `'); DROP TABLE clis; --`,
			"comment", `" OR 1=1; -- \ % _ ' '' ;`,
			"cli_domain", `x'--.example.com`,
		), CLI{DeviceID: 2, Description: `'); DROP TABLE clis; --`, Comment: `" OR 1=1; -- \ % _ ' '' ;`, Domain: `x'--.example.com`}},
		{"unicode and NUL", set("cli_description", "Žalgiris 📞", "comment", "a\x00b"),
			CLI{DeviceID: 2, Description: "Žalgiris 📞", Comment: "a\x00b"}},
	}
	h, st := newHandler(t, WithClock(fixedClock))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := request(adminKey, tc.edit)
			require.Equal(t, msgCreated, post(t, h, v).message)
			got, err := st.FindCLI(context.Background(), v.Get("cli_number"), v.Get("cli_domain"))
			require.NoError(t, err)
			want := tc.want
			want.ID, want.Number, want.AddedAt = got.ID, v.Get("cli_number"), fixedClock()
			assert.Equal(t, want, got)
		})
	}
}

// TestOwned checks the one lookup behind "Device was not found" and "IVR was
// not found": every way of not being the caller's is the same refusal, and
// only a failure of the store is an internal error.
func TestOwned(t *testing.T) {
	const notFound = "Thing was not found"
	broken := errors.New("disk on fire")
	row := Device{ID: 7, OwnerID: 3}
	found := func(context.Context, int64) (Device, error) { return row, nil }
	cases := []struct {
		name   string
		value  string
		find   func(context.Context, int64) (Device, error)
		mine   func(context.Context, Device) (bool, error)
		status int    // 0: no error
		want   string // the refusal's message
	}{
		{"mine", "7", found, func(context.Context, Device) (bool, error) { return true, nil }, 0, ""},
		{"not an id", "7a", found, nil, http.StatusOK, notFound},
		{"zero", "0", found, nil, http.StatusOK, notFound},
		{"empty", "", found, nil, http.StatusOK, notFound},
		{"missing", "7", func(context.Context, int64) (Device, error) { return Device{}, ErrNotFound }, nil, http.StatusOK, notFound},
		{"store fails on the row", "7", func(context.Context, int64) (Device, error) { return Device{}, broken }, nil, http.StatusInternalServerError, msgInternal},
		{"not mine", "7", found, func(context.Context, Device) (bool, error) { return false, nil }, http.StatusOK, notFound},
		{"owner missing", "7", found, func(context.Context, Device) (bool, error) { return true, ErrNotFound }, http.StatusOK, notFound},
		{"store fails on the owner", "7", found, func(context.Context, Device) (bool, error) { return false, broken }, http.StatusInternalServerError, msgInternal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := owned(t.Context(), tc.value, notFound, tc.find, tc.mine)
			if tc.status == 0 {
				require.NoError(t, err)
				assert.Equal(t, row, got)
				return
			}
			var ae *apiError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.status, ae.status)
			assert.Equal(t, tc.want, ae.message)
			assert.Equal(t, Device{}, got)
			if tc.status == http.StatusInternalServerError {
				assert.ErrorIs(t, err, broken, "the cause is kept for the log")
			}
		})
	}
}
