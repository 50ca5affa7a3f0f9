package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/morcheck/morcheck/steps/signing"
)

// cliAddParams are the parameters cli_add knows, besides hash.
var cliAddParams = []string{"u", "p", "cli_number", "cli_domain", "cli_description", "comment", "banned", "ivr_id", "device_id", "test"}

// hashCmd prints, for each known signing order, the exact string that is
// hashed and its SHA1, so a developer can check their own client by hand.
func hashCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("morcheck hash", flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", "", "the API secret key (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: morcheck hash -key KEY name=value ...")
		fmt.Fprintln(stderr, "  prints the string hashed for cli_add and its SHA1, in the documented order")
		fmt.Fprintln(stderr, "  and in the later revision's order. Example:")
		fmt.Fprintln(stderr, "  morcheck hash -key 456789 cli_number=1234678 cli_description=description comment=comment banned=1 ivr_id=2 device_id=2")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *key == "" {
		fmt.Fprintln(stderr, "morcheck hash: -key is required")
		fs.Usage()
		return 2
	}
	values := map[string]string{}
	for _, arg := range fs.Args() {
		name, value, ok := strings.Cut(arg, "=")
		switch {
		case !ok:
			fmt.Fprintf(stderr, "morcheck hash: %q is not name=value\n", arg)
			return 2
		case name == "hash":
			fmt.Fprintln(stderr, "morcheck hash: hash is what this command computes; leave it out")
			return 2
		case !slices.Contains(cliAddParams, name):
			fmt.Fprintf(stderr, "morcheck hash: %q is not a cli_add parameter (known: %s)\n", name, strings.Join(cliAddParams, ", "))
			return 2
		}
		if _, dup := values[name]; dup {
			fmt.Fprintf(stderr, "morcheck hash: %s is given twice\n", name)
			return 2
		}
		values[name] = value
	}
	get := func(name string) (string, bool) { v, ok := values[name]; return v, ok }

	var outside []string
	for _, name := range cliAddParams {
		if _, ok := values[name]; ok && !slices.Contains(signing.Documented.Order, name) {
			outside = append(outside, name)
		}
	}
	for i, v := range []signing.Variant{signing.Documented, signing.Revision} {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "%s\n", v.Title)
		fmt.Fprintf(stdout, "  string: %s\n", v.String(get, *key))
		fmt.Fprintf(stdout, "  sha1:   %s\n", v.Hash(get, *key))
	}
	if len(outside) > 0 {
		fmt.Fprintf(stdout, "\nnot hashed: %s\n", strings.Join(outside, ", "))
	}
	return 0
}
