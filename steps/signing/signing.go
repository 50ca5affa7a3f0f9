// Package signing is the suite's own reading of the cli_add hash rule: the
// SHA1 (lower-case hex) of parameter values concatenated in a fixed order,
// followed by the API secret key. It never imports the reference server; the
// two are pinned to each other only by the known-answer vectors in
// spec/NOTES.md, which signing_test.go checks.
package signing

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// Variant is one way of building the hashed string: which parameter values,
// in which order, and whether the key goes last (the documented rule) or first.
type Variant struct {
	Name     string   // short name used in reports and flags
	Title    string   // what a reader of the spec calls it
	Order    []string // parameter names whose values are concatenated
	KeyFirst bool     // the key is prepended instead of appended
}

// The known variants. Documented is the spec's rule; the others are what
// clients and later revisions of the page do, used for compatibility
// scenarios and for diagnosing a target that answers "Incorrect hash".
var (
	Documented = Variant{
		Name:  "documented",
		Title: "documented order (cli_number, cli_description, comment, banned, ivr_id, device_id) + key",
		Order: []string{"cli_number", "cli_description", "comment", "banned", "ivr_id", "device_id"},
	}
	Revision = Variant{
		Name:  "revision",
		Title: "later revision's order (device_id, cli_number, cli_description, comment, banned, ivr_id) + key",
		Order: []string{"device_id", "cli_number", "cli_description", "comment", "banned", "ivr_id"},
	}
	ClientLibrary = Variant{
		Name:  "device-and-number",
		Title: "device_id + cli_number only + key (a public PHP client library)",
		Order: []string{"device_id", "cli_number"},
	}
	KeyFirst = Variant{
		Name:     "key-first",
		Title:    "key + documented order (key prepended instead of appended)",
		Order:    Documented.Order,
		KeyFirst: true,
	}
)

// Variants lists every known variant, the documented rule first.
func Variants() []Variant { return []Variant{Documented, Revision, ClientLibrary, KeyFirst} }

// Values gives the value of a parameter, and whether it is present at all.
// An absent parameter contributes nothing to the hashed string.
type Values func(name string) (string, bool)

// String returns the string this variant hashes for the given values and key.
func (v Variant) String(values Values, key string) string {
	var b strings.Builder
	if v.KeyFirst {
		b.WriteString(key)
	}
	for _, name := range v.Order {
		if val, ok := values(name); ok {
			b.WriteString(val)
		}
	}
	if !v.KeyFirst {
		b.WriteString(key)
	}
	return b.String()
}

// Hash returns the lower-case hex SHA1 this variant gives for values and key.
func (v Variant) Hash(values Values, key string) string { return Sum(v.String(values, key)) }

// Redacted returns the hashed string with the key shown as <key>, safe to
// print in a failure message or a report.
func (v Variant) Redacted(values Values) string { return v.String(values, "<key>") }

// Sum returns the lower-case hex SHA1 of s.
func Sum(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}
