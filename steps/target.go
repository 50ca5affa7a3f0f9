// Package steps runs the cli_add features against any target: the godog step
// definitions, the signing HTTP client, and the mapping from the roles that
// scenarios speak of to the target's real accounts and ids.
//
// It never imports the reference server: the suite is an independent reading
// of the spec.
package steps

import (
	"strings"

	"github.com/morcheck/morcheck/fixtures"
)

// Target is the server under test as the suite sees it. It is a value passed
// in, never a global: each run builds one and hands it to Initializer.
type Target struct {
	BaseURL string            // up to and including /billing; the suite appends /api/cli_add
	Profile *fixtures.Profile // the target's world; fixtures.Default() when nil
	Client  *Client           // optional; NewClient(BaseURL) when nil

	// Diagnosis, when set, probes the target's signing rule the first time a
	// correctly signed request gets "Incorrect hash". One per run.
	Diagnosis *HashDiagnosis
}

// withDefaults fills the optional fields.
func (t Target) withDefaults() Target {
	if t.Profile == nil {
		t.Profile = fixtures.Default()
	}
	if t.Client == nil {
		t.Client = NewClient(t.BaseURL)
	}
	return t
}

// DisplayName is how the target is expected to name the account with this
// role in "CLI already exists. It is assigned to <name> device": the
// profile's display_name, else first and last name, else the username.
func DisplayName(p *fixtures.Profile, role string) string {
	a := p.Accounts[role]
	if a.DisplayName != "" {
		return a.DisplayName
	}
	if name := strings.TrimSpace(strings.TrimSpace(a.FirstName) + " " + strings.TrimSpace(a.LastName)); name != "" {
		return name
	}
	return a.Username
}

// signingKey is the key a request from the account with this role is signed
// with: its own for admins and resellers, its owner's otherwise.
func signingKey(p *fixtures.Profile, role string) string {
	a := p.Accounts[role]
	if a.Type == fixtures.TypeAdmin || a.Type == fixtures.TypeReseller {
		return a.SecretKey
	}
	return p.Accounts[a.Owner].SecretKey
}
