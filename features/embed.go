// Package features holds the suite's text: one folder of Gherkin features per
// API call. They are embedded, so the morcheck binary runs without a source
// tree.
package features

import "embed"

// FS holds every .feature file, under cli_add/.
//
//go:embed cli_add/*.feature
var FS embed.FS
