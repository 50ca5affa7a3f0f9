package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/steps/signing"
)

// scenario is the state of one running scenario: the request being built,
// how it is signed, and what came back. Initializer makes a fresh one for
// every scenario, so scenarios can run concurrently.
type scenario struct {
	target  Target
	profile *fixtures.Profile

	actor string // profile role of the caller; "" for an unknown user
	req   Request

	// How the request is signed.
	unsigned    bool            // send no hash at all
	literalHash string          // send this hash as is
	variant     signing.Variant // which values, in which order
	key         string          // the key signed with

	sent      Request     // the last request as sent, hash included
	last      *Response   // its answer
	answers   []*Response // answers to concurrent copies
	diagnosis string      // what the hash diagnosis found, if it ran
}

func newScenario(t Target) *scenario {
	return &scenario{target: t, profile: t.Profile, variant: signing.Documented}
}

// freshNumber returns a CLI number no earlier run has used: 13 random digits.
func freshNumber() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("7%012d", n.Int64())
}

// freshDomain returns a CLI domain no earlier run has used.
func freshDomain() string {
	return "cli-" + strings.ToLower(rand.Text()[:12]) + ".morcheck.test"
}

// unknownUsername returns a username the target cannot hold.
func unknownUsername() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "morcheck-nobody-" + hex.EncodeToString(b)
}

// start begins a request from the account the actor phrase names.
func (s *scenario) start(actor string) { s.begin(actorRoles[actor]) }

// begin starts a clean request, signed by the documented rule, from the
// account with this role ("" for an unknown user).
func (s *scenario) begin(role string) {
	s.actor = role
	s.req = Request{}
	s.unsigned, s.literalHash, s.variant = false, "", signing.Documented
	if role == "" {
		s.req.Params.Set("u", unknownUsername())
		s.key = signingKey(s.profile, fixtures.RoleAdmin)
		return
	}
	s.req.Params.Set("u", s.profile.Accounts[role].Username)
	if s.profile.API.SendPassword {
		s.req.Params.Set("p", s.profile.Accounts[role].Password)
	}
	s.key = signingKey(s.profile, role)
}

// resend sends the CLI (number or domain) of the last request again, as a
// clean request from the account with this role to the device with this id.
func (s *scenario) resend(ctx context.Context, role, device string) error {
	number, hasNumber := s.sent.Params.Get("cli_number")
	domain, hasDomain := s.sent.Params.Get("cli_domain")
	s.begin(role)
	if hasNumber {
		s.req.Params.Set("cli_number", number)
	}
	if hasDomain {
		s.req.Params.Set("cli_domain", domain)
	}
	s.req.Params.Set("device_id", device)
	return s.send(ctx)
}

// signed returns the request as it will be sent, with its hash.
func (s *scenario) signed() Request {
	r := s.req
	r.Params = s.req.Params.Clone()
	switch {
	case s.unsigned:
		r.Params.Del("hash")
	case s.literalHash != "":
		r.Params.Set("hash", s.literalHash)
	default:
		r.Params.Set("hash", s.variant.Hash(r.Params.Get, s.key))
	}
	return r
}

// send signs and sends the request, keeping the answer.
func (s *scenario) send(ctx context.Context) error {
	s.sent = s.signed()
	resp, err := s.target.Client.Do(ctx, s.sent)
	if err != nil {
		return fmt.Errorf("no answer from the target: %w\n  request: %s", err, s.target.Client.Curl(s.sent))
	}
	s.last = resp
	if s.target.Diagnosis != nil && s.signedByTheRule() && resp.Problem == nil && resp.HasError && resp.Error == "Incorrect hash" {
		s.diagnosis = s.target.Diagnosis.run(ctx, s.probe)
	}
	return nil
}

// signedByTheRule reports whether the request is signed as the spec says,
// by a known account with its signing key: a target that refuses it has a
// signing problem worth diagnosing.
func (s *scenario) signedByTheRule() bool {
	return s.actor != "" && !s.unsigned && s.literalHash == "" &&
		s.variant.Name == signing.Documented.Name && s.key == signingKey(s.profile, s.actor)
}

// probe sends a copy of the request, with a fresh CLI, signed with v.
func (s *scenario) probe(ctx context.Context, v signing.Variant) (*Response, error) {
	r := s.req
	r.Params = s.req.Params.Clone()
	if _, ok := r.Params.Get("cli_number"); ok {
		r.Params.Set("cli_number", freshNumber())
	}
	if _, ok := r.Params.Get("cli_domain"); ok {
		r.Params.Set("cli_domain", freshDomain())
	}
	// With a description the variants hash different strings, so the probe
	// tells them apart (without one, the revision's order and device_id +
	// cli_number only would hash the same string).
	if _, ok := r.Params.Get("cli_description"); !ok {
		r.Params.Set("cli_description", "morcheck hash probe")
	}
	r.Params.Set("hash", v.Hash(r.Params.Get, s.key))
	return s.target.Client.Do(ctx, r)
}

// sendCopies sends n copies of the signed request at once.
func (s *scenario) sendCopies(ctx context.Context, n int) error {
	s.sent = s.signed()
	s.answers = make([]*Response, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			s.answers[i], errs[i] = s.target.Client.Do(ctx, s.sent)
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("no answer from the target to one of %d copies: %w", n, err)
		}
	}
	s.last = s.answers[0]
	return nil
}

// explain renders the last exchange for a failure message: the HTTP status,
// the framing, the decoded body, the hashed string and a curl line.
func (s *scenario) explain(r *Response) string {
	var b strings.Builder
	if r == nil {
		return "  (nothing was sent)"
	}
	fmt.Fprintf(&b, "  HTTP status: %d\n", r.HTTPStatus)
	if r.Problem == nil || r.XML != nil {
		fmt.Fprintf(&b, "  framing: %s\n", r.Framing())
	}
	if r.XML != nil {
		fmt.Fprintf(&b, "  decoded body:\n%s\n", indent(string(r.XML)))
	} else {
		fmt.Fprintf(&b, "  raw body (%d bytes): %q\n", len(r.Raw), preview(r.Raw, 200))
	}
	if _, signed := s.sent.Params.Get("hash"); signed && !s.unsigned && s.literalHash == "" {
		fmt.Fprintf(&b, "  hashed string (%s): %q\n", s.variant.Name, shorten(s.variant.Redacted(s.sent.Params.Get)))
	}
	fmt.Fprintf(&b, "  request: %s", shorten(s.target.Client.Curl(s.sent)))
	if s.diagnosis != "" {
		fmt.Fprintf(&b, "\n  %s", s.diagnosis)
	}
	return b.String()
}

// expectAnswer checks the last answer is the wanted status or error.
func (s *scenario) expectAnswer(r *Response, wantError bool, want string) error {
	kind := "status"
	if wantError {
		kind = "error"
	}
	if r.Problem == nil && r.HasError == wantError && (r.Error == want && wantError || r.Status == want && !wantError) {
		return nil
	}
	return fmt.Errorf("expected the %s %q\n  got %s\n  expected body:\n%s\n%s", kind, want, r.Answer(), indent(expectedPage(wantError, want)), s.explain(r))
}

// expectedPage renders the document a target should answer with.
func expectedPage(isError bool, text string) string {
	var esc strings.Builder
	_ = xml.EscapeText(&esc, []byte(text))
	if isError {
		return "<page>\n  <status>\n    <error>" + esc.String() + "</error>\n  </status>\n</page>"
	}
	return "<page>\n  <status>" + esc.String() + "</status>\n</page>"
}

// shorten keeps a failure message readable when a scenario sends long values.
func shorten(s string) string {
	const max = 600
	if len(s) <= max {
		return s
	}
	return s[:max/2] + fmt.Sprintf(" …(%d bytes left out)… ", len(s)-max) + s[len(s)-max/2:]
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		lines[i] = "    | " + lines[i]
	}
	return strings.Join(lines, "\n")
}

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }
