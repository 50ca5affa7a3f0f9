package signing

import "testing"

func BenchmarkDocumentedHash(b *testing.B) {
	values := map[string]string{"cli_number": "1234678", "cli_description": "description", "comment": "comment", "banned": "1", "ivr_id": "2", "device_id": "2"}
	get := func(name string) (string, bool) { v, ok := values[name]; return v, ok }
	for b.Loop() {
		_ = Documented.Hash(get, "456789")
	}
}
