package inspect

import (
	"crypto/tls"
	"slices"
	"testing"

	"chainscope/inspect/trust"
	"chainscope/internal/testpki"
)

// TestEnumerateCiphersGoServer: against a crypto/tls server configured with
// a known set of TLS 1.2 suites, --ciphers finds exactly that set, and the
// five TLS 1.3 suites Go speaks.
func TestEnumerateCiphersGoServer(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Test Root")
	leaf := testpki.Leaf(t, root, "example.test")
	want12 := []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}
	addr := testServer(t, &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf)}, CipherSuites: want12})
	r, err := inspectAddr(t, addr, Options{Store: trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}}), Ciphers: true})
	if err != nil {
		t.Fatal(err)
	}
	var wantNames []string
	for _, id := range want12 {
		wantNames = append(wantNames, tls.CipherSuiteName(id))
	}
	got := slices.Clone(r.TLS.AcceptedCipherSuites["TLS 1.2"])
	slices.Sort(got)
	slices.Sort(wantNames)
	if !slices.Equal(got, wantNames) {
		t.Errorf("accepted TLS 1.2 = %v, want %v", got, wantNames)
	}
	if n := len(r.TLS.AcceptedCipherSuites["TLS 1.3"]); n != 3 {
		t.Errorf("accepted TLS 1.3 = %v, want Go's 3 suites", r.TLS.AcceptedCipherSuites["TLS 1.3"])
	}
	for _, d := range r.TLS.CipherDetails["TLS 1.2"] {
		if want := d.Name == "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" || d.Name == "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"; d.InPolicy != want {
			t.Errorf("%s in_policy = %v, want %v", d.Name, d.InPolicy, want)
		}
	}
}
