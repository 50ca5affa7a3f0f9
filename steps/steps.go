package steps

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/cucumber/godog"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/steps/signing"
)

// params a scenario may set by name.
const paramNames = `(u|p|cli_number|cli_domain|cli_description|comment|banned|ivr_id|device_id|test)`

// Initializer returns the godog scenario initializer for target. Each
// scenario gets a fresh state value whose methods are the steps.
//
// The step patterns are compiled once per Initializer, not per scenario:
// compiling them for every scenario was most of a run's allocations.
func Initializer(target Target) func(*godog.ScenarioContext) {
	target = target.withDefaults()
	compiled := map[string]*regexp.Regexp{}
	newScenario(target).register(func(pattern string, _ any) { compiled[pattern] = regexp.MustCompile(pattern) })
	return func(sc *godog.ScenarioContext) {
		newScenario(target).register(func(pattern string, fn any) { sc.Step(compiled[pattern], fn) })
	}
}

// register hands every step pattern and its method to step.
func (s *scenario) register(step func(pattern string, fn any)) {
	actors, devices, ivrs := alternatives(actorRoles), alternatives(deviceRoles), alternatives(ivrRoles)

	// Building the request.
	step(`^a request from `+actors+` to add a fresh CLI to `+devices+`$`, s.requestFreshCLI)
	step(`^a request from `+actors+` to add a fresh CLI without a device$`, s.requestWithoutDevice)
	step(`^the spec's example request from the admin$`, s.specExample)
	step(`^its `+paramNames+` is "([^"]*)"$`, s.setParam)
	step(`^it has no `+paramNames+`$`, s.dropParam)
	step(`^its `+paramNames+` is given twice$`, s.repeatParam)
	step(`^its ivr_id is `+ivrs+`$`, s.setIVR)
	step(`^its cli_number is a fresh number$`, s.freshCLINumber)
	step(`^it gives a fresh cli_domain instead of a cli_number$`, s.domainInsteadOfNumber)
	step(`^it also gives a fresh cli_domain$`, s.alsoDomain)
	step(`^it carries the (right|wrong) password$`, s.password)
	step(`^its `+paramNames+` is (\d+) characters long$`, s.longParam)
	step(`^its `+paramNames+` holds bytes that are not UTF-8$`, s.notUTF8)

	// Signing.
	step(`^it is signed with `+alternatives(accountKeys)+`'s key$`, s.signWithAccountKey)
	step(`^it is signed with another key$`, s.signWithAnotherKey)
	step(`^its hash covers the values in reverse order$`, s.signReversed)
	step(`^it is signed in the later revision's order, device_id first$`, s.signVariant(signing.Revision))
	step(`^it is signed over device_id and cli_number only$`, s.signVariant(signing.ClientLibrary))
	step(`^it carries the hash "([0-9a-f]*)"$`, s.literal)
	step(`^it carries no hash$`, s.noHash)

	// How it travels.
	step(`^it is sent as a JSON body$`, s.via(InJSON))
	step(`^it is sent as a form body$`, s.via(InForm))
	step(`^it is sent as a JSON body that is cut short$`, s.truncatedJSON)
	step(`^it is sent with GET$`, s.withGet)

	// What the target is set up to do.
	step(`^the target checks hashes$`, s.targetChecksHashes)

	// Sending.
	step(`^it is sent$`, s.send)
	step(`^it is sent again$`, s.send)
	step(`^it is sent again to `+devices+`$`, s.sendAgainTo)
	step(`^`+actors+` asks for the same CLI for `+devices+`$`, s.sameCLI)
	step(`^(\d+) copies of it are sent at once$`, s.sendCopies)

	// The answer.
	step(`^the answer is the status "([^"]*)"$`, s.answerIsStatus)
	step(`^the answer is the error "([^"]*)"$`, s.answerIsError)
	step(`^the answer is an error$`, s.answerIsAnError)
	step(`^the answer is the error "([^"]*)" if the target refuses GET, otherwise the status "([^"]*)"$`, s.answerFollowsGetSetting)
	step(`^the raw body is gzip data$`, s.rawBodyIsGzip)
	step(`^the gzip data is a well-formed XML document whose root is page$`, s.wellFormedPage)
	step(`^the HTTP status is (\d+)$`, s.httpStatusIs)
	step(`^the answer is a well-formed page, not a server error$`, s.notServerError)
	step(`^the CLI is stored exactly when it was acknowledged$`, s.storedIffAcknowledged)
	step(`^a fresh CLI can still be added to `+devices+`$`, s.freshStillAdded)
	step(`^nothing was stored: `+actors+` can still add the same CLI to `+devices+`$`, s.sameCLIStillAdded)
	step(`^exactly one answer is the status "([^"]*)"$`, s.exactlyOneStatus)
	step(`^every other answer is the error "([^"]*)"$`, s.everyOtherError)
}

func (s *scenario) requestFreshCLI(actor, device string) {
	s.start(actor)
	s.req.Params.Set("cli_number", freshNumber())
	s.req.Params.Set("device_id", deviceID(s.profile, device))
}

func (s *scenario) requestWithoutDevice(actor string) {
	s.start(actor)
	s.req.Params.Set("cli_number", freshNumber())
}

// specExample is the request of the spec's example, in its order, with the
// example's values: u=admin, cli_number=1234678, cli_description=description,
// comment=comment, ivr_id=2, banned=1, device_id=2, test=1. The profile's
// admin, device and IVR stand in for admin and the two 2s.
func (s *scenario) specExample() {
	s.start("the admin")
	p := s.profile
	for _, kv := range [][2]string{
		{"cli_number", "1234678"}, {"cli_description", "description"}, {"comment", "comment"},
		{"ivr_id", ivrID(p, "the admin's IVR")}, {"banned", "1"},
		{"device_id", deviceID(p, "a device of the admin's user")}, {"test", "1"},
	} {
		s.req.Params.Set(kv[0], kv[1])
	}
}

func (s *scenario) setParam(name, value string)  { s.req.Params.Set(name, value) }
func (s *scenario) dropParam(name string)        { s.req.Params.Del(name) }
func (s *scenario) setIVR(phrase string)         { s.req.Params.Set("ivr_id", ivrID(s.profile, phrase)) }
func (s *scenario) freshCLINumber()              { s.req.Params.Set("cli_number", freshNumber()) }
func (s *scenario) alsoDomain()                  { s.req.Params.Set("cli_domain", freshDomain()) }
func (s *scenario) longParam(name string, n int) { s.req.Params.Set(name, strings.Repeat("x", n)) }
func (s *scenario) notUTF8(name string)          { s.req.Params.Set(name, "caf\xe9 \xff\xfe") }

func (s *scenario) repeatParam(name string) error {
	v, ok := s.req.Params.Get(name)
	if !ok {
		return fmt.Errorf("the request has no %s to repeat", name)
	}
	s.req.Params.Add(name, v)
	return nil
}

func (s *scenario) domainInsteadOfNumber() {
	s.req.Params.Del("cli_number")
	s.req.Params.Set("cli_domain", freshDomain())
}

func (s *scenario) password(which string) error {
	if s.actor == "" {
		return fmt.Errorf("an unknown user has no password in the profile")
	}
	pw := s.profile.Accounts[s.actor].Password
	if which == "wrong" {
		pw += "-wrong"
	}
	s.req.Params.Set("p", pw)
	return nil
}

func (s *scenario) signWithAccountKey(account string) {
	s.key = s.profile.Accounts[accountKeys[account]].SecretKey
}

func (s *scenario) signWithAnotherKey() { s.key = s.key + "-not-the-key" }

func (s *scenario) signReversed() {
	order := slices.Clone(signing.Documented.Order)
	slices.Reverse(order)
	s.variant = signing.Variant{Name: "reversed", Title: "documented order reversed", Order: order}
}

func (s *scenario) signVariant(v signing.Variant) func() {
	return func() { s.variant = v }
}

func (s *scenario) literal(hash string) { s.literalHash = hash }
func (s *scenario) noHash()             { s.unsigned = true }

func (s *scenario) via(b Body) func() {
	return func() { s.req.Body = b }
}

func (s *scenario) truncatedJSON() {
	body := s.signed().Params.JSON()
	s.req.Raw, s.req.Type = body[:len(body)-4], "application/json"
	s.req.Params = nil
	s.literalHash = "" // the hash is inside the raw body already
	s.unsigned = true
}

func (s *scenario) withGet() { s.req.Method = http.MethodGet }

func (s *scenario) targetChecksHashes() error {
	if !s.profile.API.HashChecking {
		return fmt.Errorf("%w: the profile says the target does not check hashes (api.hash_checking: false)", godog.ErrSkip)
	}
	return nil
}

func (s *scenario) sendAgainTo(ctx context.Context, device string) error {
	s.req.Params.Set("device_id", deviceID(s.profile, device))
	return s.send(ctx)
}

func (s *scenario) answerIsStatus(want string) error { return s.expectAnswer(s.last, false, want) }

func (s *scenario) answerIsError(want string) error {
	msg, err := expand(s.profile, want)
	if err != nil {
		return err
	}
	return s.expectAnswer(s.last, true, msg)
}

// answerIsAnError accepts any documented-shape error: for rules the page
// states without giving their message.
func (s *scenario) answerIsAnError() error {
	r := s.last
	if r.Problem == nil && r.HasError && r.Error != "" {
		return nil
	}
	return fmt.Errorf("expected an error (any text in page/status/error)\n  got %s\n%s", r.Answer(), s.explain(r))
}

func (s *scenario) answerFollowsGetSetting(refused, accepted string) error {
	if s.profile.API.GetRequests {
		return s.answerIsStatus(accepted)
	}
	return s.answerIsError(refused)
}

func (s *scenario) rawBodyIsGzip() error {
	r := s.last
	if len(r.Raw) >= 2 && r.Raw[0] == 0x1f && r.Raw[1] == 0x8b {
		return nil
	}
	return fmt.Errorf("expected the raw body to be gzip data (it starts with bytes 1f 8b)\n  got %d bytes starting %q\n%s",
		len(r.Raw), preview(r.Raw, 40), s.explain(r))
}

func (s *scenario) wellFormedPage() error {
	if s.last.Problem != nil {
		return fmt.Errorf("expected a well-formed XML document whose root is <page>\n  got: %v\n%s", s.last.Problem, s.explain(s.last))
	}
	return nil
}

func (s *scenario) httpStatusIs(want int) error {
	if s.last.HTTPStatus != want {
		return fmt.Errorf("expected HTTP status %d\n  got %d\n%s", want, s.last.HTTPStatus, s.explain(s.last))
	}
	return nil
}

func (s *scenario) notServerError() error {
	r := s.last
	switch {
	case r.HTTPStatus >= 500:
		return fmt.Errorf("expected a clear answer, not a server error\n  got HTTP %d\n%s", r.HTTPStatus, s.explain(r))
	case r.Problem != nil:
		return fmt.Errorf("expected a gzip-compressed XML page\n  got: %v\n%s", r.Problem, s.explain(r))
	case r.HasError && r.Error == "":
		return fmt.Errorf("expected a clear answer\n  got an empty <error>\n%s", s.explain(r))
	case !r.HasError && r.Status == "":
		return fmt.Errorf("expected a clear answer\n  got an empty <status>\n%s", s.explain(r))
	}
	return nil
}

// storedIffAcknowledged replays the CLI of the last request as a clean,
// correctly signed request from the same account to the same device: a CLI
// that was acknowledged must now exist, and one that was refused must not
// have been half-stored, so the clean request creates it.
func (s *scenario) storedIffAcknowledged(ctx context.Context) error {
	prev := s.last
	number, _ := s.sent.Params.Get("cli_number")
	device, _ := s.sent.Params.Get("device_id")
	if number == "" || device == "" {
		return fmt.Errorf("the last request names no CLI number and device to check")
	}
	if err := s.resend(ctx, s.actor, device); err != nil {
		return err
	}
	if prev.Created() {
		if !s.last.HasError || !strings.HasPrefix(s.last.Error, "CLI already exists. It is assigned to ") {
			return fmt.Errorf("the first answer acknowledged the CLI, so a clean request for it must be refused as existing\n  got %s\n%s", s.last.Answer(), s.explain(s.last))
		}
		return nil
	}
	if !s.last.Created() {
		return fmt.Errorf("the first answer refused the CLI (%s), so nothing may have been stored and a clean request must create it\n  got %s\n%s",
			prev.Answer(), s.last.Answer(), s.explain(s.last))
	}
	return nil
}

// sameCLI sends the CLI of the last request again, as a clean request from
// actor to device.
func (s *scenario) sameCLI(ctx context.Context, actor, device string) error {
	return s.resend(ctx, actorRoles[actor], deviceID(s.profile, device))
}

// sameCLIStillAdded shows a refused request stored nothing: the same CLI is
// then created by a clean request from actor to device.
func (s *scenario) sameCLIStillAdded(ctx context.Context, actor, device string) error {
	refused := s.last
	if err := s.sameCLI(ctx, actor, device); err != nil {
		return err
	}
	if s.last.Created() {
		return nil
	}
	return fmt.Errorf("the first request was refused (%s), so it must have stored nothing, and a clean request for the same CLI must create it\n  got %s\n%s",
		refused.Answer(), s.last.Answer(), s.explain(s.last))
}

// freshStillAdded adds a fresh CLI as the scenario's caller (the admin after
// an unknown user) to show the target still works.
func (s *scenario) freshStillAdded(ctx context.Context, device string) error {
	role := s.actor
	if role == "" {
		role = fixtures.RoleAdmin
	}
	s.begin(role)
	s.req.Params.Set("cli_number", freshNumber())
	s.req.Params.Set("device_id", deviceID(s.profile, device))
	if err := s.send(ctx); err != nil {
		return err
	}
	return s.answerIsStatus(statusCreated)
}

func (s *scenario) exactlyOneStatus(want string) error {
	n := 0
	for _, r := range s.answers {
		if r.IsStatus(want) {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("expected exactly one of %d answers to be the status %q\n  got %d such answers: %s\n%s",
			len(s.answers), want, n, tally(s.answers), s.explain(s.answers[0]))
	}
	return nil
}

func (s *scenario) everyOtherError(want string) error {
	msg, err := expand(s.profile, want)
	if err != nil {
		return err
	}
	for _, r := range s.answers {
		if r.Created() {
			continue
		}
		if err := s.expectAnswer(r, true, msg); err != nil {
			return fmt.Errorf("answers: %s\n%w", tally(s.answers), err)
		}
	}
	return nil
}

// tally counts answers by outcome, for messages about concurrent copies.
func tally(rs []*Response) string {
	counts := map[string]int{}
	var order []string
	for _, r := range rs {
		a := r.Answer()
		if counts[a] == 0 {
			order = append(order, a)
		}
		counts[a]++
	}
	parts := make([]string, len(order))
	for i, a := range order {
		parts[i] = fmt.Sprintf("%d× %s", counts[a], a)
	}
	return strings.Join(parts, "; ")
}
