package steps

import (
	"encoding/json"
	"net/url"
	"strings"
)

// Param is one name=value pair of a request.
type Param struct{ Name, Value string }

// Params is an ordered list of request parameters. Order is kept, and a name
// may appear twice, so robustness scenarios can send what a careless client
// sends.
type Params []Param

// Get returns the value of the first parameter called name.
func (ps Params) Get(name string) (string, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Set replaces the value of name, or appends it.
func (ps *Params) Set(name, value string) {
	for i, p := range *ps {
		if p.Name == name {
			(*ps)[i].Value = value
			return
		}
	}
	*ps = append(*ps, Param{name, value})
}

// Add appends name=value even if name is already there.
func (ps *Params) Add(name, value string) { *ps = append(*ps, Param{name, value}) }

// Del removes every parameter called name.
func (ps *Params) Del(name string) {
	kept := (*ps)[:0]
	for _, p := range *ps {
		if p.Name != name {
			kept = append(kept, p)
		}
	}
	*ps = kept
}

// Clone returns an independent copy.
func (ps Params) Clone() Params { return append(Params(nil), ps...) }

// Encode renders the parameters as a query string, in order.
func (ps Params) Encode() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = url.QueryEscape(p.Name) + "=" + url.QueryEscape(p.Value)
	}
	return strings.Join(parts, "&")
}

// JSON renders the parameters as a JSON object of strings, in order. A
// repeated name is written twice, as a careless client would.
func (ps Params) JSON() []byte {
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(p.Name)
		value, _ := json.Marshal(p.Value)
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

// Redacted returns a copy with the password p hidden.
func (ps Params) Redacted() Params {
	out := ps.Clone()
	for i := range out {
		if out[i].Name == "p" {
			out[i].Value = "REDACTED"
		}
	}
	return out
}
