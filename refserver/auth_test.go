package refserver

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSignatureKnownAnswers pins the hash rule to the vendor's vectors
// (spec/NOTES.md).
func TestSignatureKnownAnswers(t *testing.T) {
	cases := []struct {
		name   string
		key    string
		values []string
		want   string
	}{
		{"three values", "Very Sercet Key", []string{"123", "1252454580", "answered"}, "b93c35d5c6183288322122561a3da7e09abb63b7"},
		{"device_details_get", "456789", []string{"5"}, "65fd575c441513bd114b84c7dbdb01e0f2716d27"},
		{"users_get", "secret", []string{"admin", "admin1"}, "c420ef706a02e6449994b7575b25ef5f74cc722b"},
		{"only the key", "456789", nil, sha1Hex("456789")},
		{"empty values contribute nothing", "456789", []string{"", "5", ""}, "65fd575c441513bd114b84c7dbdb01e0f2716d27"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, signature(tc.key, tc.values...))
		})
	}
}

func TestCheckHash(t *testing.T) {
	base := func() url.Values {
		return url.Values{
			"u": {"admin"}, "p": {"admin1"}, "cli_number": {"123"}, "cli_domain": {"d"}, "cli_description": {"desc"},
			"comment": {"c"}, "banned": {"1"}, "ivr_id": {"2"}, "device_id": {"2"}, "test": {"1"},
		}
	}
	toParams := func(v url.Values) params {
		p := params{}
		for k := range v {
			p[k] = v.Get(k)
		}
		return p
	}
	cases := []struct {
		name string
		hash string
		want bool
	}{
		{"documented order", sha1Hex("123descc122" + adminKey), true},
		{"revision order", sha1Hex("2123descc12" + adminKey), true},
		{"upper-case hex", "" + upper(sha1Hex("123descc122"+adminKey)), true},
		{"key first", sha1Hex(adminKey + "123descc122"), false},
		{"with cli_domain", sha1Hex("123ddescc122" + adminKey), false},
		{"with u and p", sha1Hex("adminadmin1123descc122" + adminKey), false},
		{"with test", sha1Hex("123descc1221" + adminKey), false},
		{"revision order with cli_domain", sha1Hex("2123ddescc12" + adminKey), false},
		{"another key", sha1Hex("123descc122" + resellerKey), false},
		{"missing", "", false},
		{"truncated", sha1Hex("123descc122" + adminKey)[:39], false},
		{"with a trailing space", sha1Hex("123descc122"+adminKey) + " ", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := base()
			if tc.hash != "" {
				v.Set("hash", tc.hash)
			}
			assert.Equal(t, tc.want, checkHash(toParams(v), adminKey, cliAddHashOrders))
		})
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// TestClientLibraryHash pins the decision about the public PHP client
// library, which signs device_id and cli_number only: its hash is accepted
// when no optional field is sent (it is then the later revision's hash), and
// refused when one is, since that field would travel unsigned.
func TestClientLibraryHash(t *testing.T) {
	library := []string{"device_id", "cli_number"}
	cases := []struct {
		name  string
		extra url.Values
		want  string
	}{
		{"minimal request", nil, msgCreated},
		{"optional fields sent empty", url.Values{"cli_description": {""}, "comment": {""}}, msgCreated},
		{"with cli_description", url.Values{"cli_description": {"unsigned description"}}, msgIncorrectHash},
		{"with comment", url.Values{"comment": {"unsigned"}}, msgIncorrectHash},
		{"with banned", url.Values{"banned": {"0"}}, msgIncorrectHash},
		{"with ivr_id", url.Values{"ivr_id": {adminIVR}}, msgIncorrectHash},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, st := newHandler(t)
			v := adminAdd()
			for name, values := range tc.extra {
				v[name] = values
			}
			a := post(t, h, signWith(v, adminKey, library))
			assert.Equal(t, tc.want, a.message)
			assert.Equal(t, tc.want != msgCreated, a.isError)
			want := 0
			if tc.want == msgCreated {
				want = 1
			}
			assert.Equal(t, want, countCLIs(t, st))
		})
	}
}
