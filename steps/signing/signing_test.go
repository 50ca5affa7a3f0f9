package signing

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestKnownAnswerVectors pins the hash rule to the vectors of spec/NOTES.md,
// which were recomputed by hand from the vendor's other API pages.
func TestKnownAnswerVectors(t *testing.T) {
	cases := []struct {
		values    []string
		key, want string
	}{
		{[]string{"123", "1252454580", "answered"}, "Very Sercet Key", "b93c35d5c6183288322122561a3da7e09abb63b7"},
		{[]string{"5"}, "456789", "65fd575c441513bd114b84c7dbdb01e0f2716d27"},
		{[]string{"admin", "admin1"}, "secret", "c420ef706a02e6449994b7575b25ef5f74cc722b"},
	}
	for _, tc := range cases {
		names := make([]string, len(tc.values))
		for i := range names {
			names[i] = string(rune('a' + i))
		}
		v := Variant{Name: "vector", Order: names}
		values := func(name string) (string, bool) { return tc.values[name[0]-'a'], true }
		assert.Equal(t, tc.want, v.Hash(values, tc.key), "values %q key %q", tc.values, tc.key)
	}
}

func fromMap(m map[string]string) Values {
	return func(name string) (string, bool) { v, ok := m[name]; return v, ok }
}

func TestDocumentedOrderAndAbsentParameters(t *testing.T) {
	all := fromMap(map[string]string{
		"u": "admin", "p": "pw", "cli_domain": "sip.example", "test": "1", "hash": "x",
		"cli_number": "1234678", "cli_description": "description", "comment": "comment",
		"banned": "1", "ivr_id": "2", "device_id": "2",
	})
	assert.Equal(t, "1234678descriptioncomment122456789", Documented.String(all, "456789"),
		"u, p, cli_domain, test and hash are outside the hash")
	assert.Equal(t, "21234678descriptioncomment12456789", Revision.String(all, "456789"))
	assert.Equal(t, "21234678456789", ClientLibrary.String(all, "456789"))
	assert.Equal(t, "4567891234678descriptioncomment122", KeyFirst.String(all, "456789"))
	assert.Equal(t, "1234678descriptioncomment122<key>", Documented.Redacted(all))

	minimal := fromMap(map[string]string{"cli_number": "12345", "device_id": "2"})
	assert.Equal(t, "123452456789", Documented.String(minimal, "456789"), "absent parameters contribute nothing")
	assert.Equal(t, Sum("123452456789"), Documented.Hash(minimal, "456789"))

	emptyIVR := fromMap(map[string]string{"cli_number": "12345", "ivr_id": "", "device_id": "2"})
	assert.Equal(t, "123452456789", Documented.String(emptyIVR, "456789"), "an empty value contributes nothing")
}

func TestTheSpecExampleHashIsAPlaceholder(t *testing.T) {
	example := fromMap(map[string]string{
		"cli_number": "1234678", "cli_description": "description", "comment": "comment",
		"banned": "1", "ivr_id": "2", "device_id": "2",
	})
	for _, v := range Variants() {
		assert.NotEqual(t, "1ba6df6ad2532aea7ca035be29b7dd63feb1df88", v.Hash(example, "456789"), v.Name)
	}
}

func TestVariantsHaveDistinctNames(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range Variants() {
		assert.False(t, seen[v.Name], v.Name)
		seen[v.Name] = true
		assert.NotEmpty(t, v.Title)
	}
	assert.Equal(t, Documented.Name, Variants()[0].Name)
}
