package policy

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"chainscope/inspect/wire"
)

func TestPagerDutySuites(t *testing.T) {
	t.Parallel()
	p := PagerDuty()
	if len(p.CipherSuites) != 37 {
		t.Fatalf("pagerduty offers %d suites, want the seed's 37", len(p.CipherSuites))
	}
	for _, s := range PagerDutySuites() {
		got, ok := wire.SuiteByID(s.ID)
		if !ok || got.Name != s.Name {
			t.Errorf("suite 0x%04X = %q in the registry, want %q", s.ID, got.Name, s.Name)
		}
	}
	if !p.AllowsVersion(wire.VersionTLS12) || p.AllowsVersion(wire.VersionTLS13) {
		t.Errorf("pagerduty versions = %v, want TLS 1.2 only", p.Versions)
	}
}

// TestRoundTrip: the built-in policy written as JSON reads back the same.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	want := PagerDuty()
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(Marshal(pagerduty)) error = %v\n%s", err, data)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(Marshal(pagerduty)) = %+v, want %+v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, json, err string }{
		{"not json", `{`, "policy JSON"},
		{"unknown key", `{"name":"x","versions":["TLS 1.2"],"cipher_suites":["TLS_AES_128_GCM_SHA256"],"requre_order":true}`, "unknown field"},
		{"no name", `{"versions":["TLS 1.2"]}`, `no "name"`},
		{"no versions", `{"name":"x"}`, `no "versions"`},
		{"bad version", `{"name":"x","versions":["TLS 9"],"cipher_suites":["TLS_AES_128_GCM_SHA256"]}`, "TLS 9"},
		{"bad suite", `{"name":"x","versions":["TLS 1.2"],"cipher_suites":["TLS_NOPE"]}`, `"TLS_NOPE"`},
		{"bad group", `{"name":"x","versions":["TLS 1.2"],"cipher_suites":["ECDHE-RSA-AES128-GCM-SHA256"],"client_hello":{"groups":["p256"]}}`, `group "p256"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse() error = %v, want %q", err, tt.err)
			}
		})
	}
}

// FuzzParse: any bytes either load as a policy with versions and suites,
// or fail with an error.
func FuzzParse(f *testing.F) {
	seed, _ := json.Marshal(PagerDuty())
	f.Add(seed)
	f.Add([]byte(`{"name":"x","versions":["1.3"],"cipher_suites":["TLS_AES_128_GCM_SHA256"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err == nil && (len(p.Versions) == 0 || len(p.CipherSuites) == 0) {
			t.Fatalf("Parse() = %+v without versions or suites", p)
		}
	})
}
