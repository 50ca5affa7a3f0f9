package morcheck_test

import (
	"io"
	"testing"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/internal/localtarget"
	"github.com/morcheck/morcheck/suite"
)

// BenchmarkSuiteInProcess times one whole run of the suite against the
// in-process reference server, reports included: the figure to compare a
// run against a container or a vendor's server with.
func BenchmarkSuiteInProcess(b *testing.B) {
	local, err := localtarget.Start(fixtures.Default())
	if err != nil {
		b.Fatal(err)
	}
	defer local.Close()
	dir := b.TempDir()
	for b.Loop() {
		res, err := suite.Run(b.Context(), suite.Config{TargetURL: local.URL, Concurrency: 4, Output: io.Discard, ReportsDir: dir})
		if err != nil || res.Code != suite.Conforms {
			b.Fatalf("run: code %d, %v", res.Code, err)
		}
	}
}
