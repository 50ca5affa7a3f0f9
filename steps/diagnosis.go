package steps

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/morcheck/morcheck/steps/signing"
)

// HashDiagnosis finds out, once per run, which way of signing a target
// accepts when it answers "Incorrect hash" to a request signed by the
// documented rule. Make one per run with NewHashDiagnosis and hand it to the
// Target; it is safe for concurrent scenarios.
type HashDiagnosis struct {
	once   sync.Once
	mu     sync.Mutex
	report string
}

// NewHashDiagnosis returns a diagnosis that has not probed yet.
func NewHashDiagnosis() *HashDiagnosis { return &HashDiagnosis{} }

// Report returns what the probe found, or "" if no probe was needed.
func (d *HashDiagnosis) Report() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.report
}

// probe sends one request signed with v and returns its answer.
type probe func(ctx context.Context, v signing.Variant) (*Response, error)

// run probes the target with every known variant, the first time it is
// called in a run, and returns the report; later calls wait for and return
// the same report.
func (d *HashDiagnosis) run(ctx context.Context, send probe) string {
	d.once.Do(func() {
		var lines, accepted []string
		for _, v := range signing.Variants() {
			resp, err := send(ctx, v)
			answer := ""
			switch {
			case err != nil:
				answer = "no answer: " + err.Error()
			default:
				answer = resp.Answer()
				if resp.Problem == nil && !resp.HasError {
					accepted = append(accepted, v.Title)
				} else if resp.Problem == nil && resp.Error != "Incorrect hash" {
					// Any answer past the hash check shows the hash was accepted.
					accepted = append(accepted, v.Title)
				}
			}
			lines = append(lines, fmt.Sprintf("    %-18s → %s", v.Name, answer))
		}
		var b strings.Builder
		b.WriteString("hash diagnosis: a request signed by the documented rule got \"Incorrect hash\"; one probe per known variant:\n")
		b.WriteString(strings.Join(lines, "\n"))
		b.WriteString("\n  ")
		if len(accepted) == 0 {
			b.WriteString("the target accepts none of them: check the account's secret_key in the profile (an accountant or user signs with its owner's key), and that the target hashes by the documented rule")
		} else {
			b.WriteString("the target accepts: " + strings.Join(accepted, "; "))
		}
		d.mu.Lock()
		d.report = b.String()
		d.mu.Unlock()
	})
	return d.Report()
}
