package inspect

import (
	"crypto/tls"
	"slices"
	"testing"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/inspect/wire"
	"chainscope/internal/testpki"
)

// TestVersionHellos: every probe offers at most 128 suites and is never
// 256 to 511 bytes long (the limits of fragile servers); together a
// version's probes offer every suite once; the first holds every suite of
// the pagerduty policy (ECDHE, DHE and ECDH with AES) before any weak one,
// and no ChaCha20 suite leads a hello.
func TestVersionHellos(t *testing.T) {
	t.Parallel()
	for _, v := range probeVersions {
		t.Run(wire.VersionName(v), func(t *testing.T) {
			t.Parallel()
			var all []uint16
			for _, h := range versionHellos(v, "a-rather-long-host-name.example.test") {
				if n := len(h.CipherSuites); n > maxSuitesPerHello {
					t.Errorf("a probe offers %d suites, want at most %d", n, maxSuitesPerHello)
				}
				if isChaCha(h.CipherSuites[0]) {
					t.Errorf("a probe leads with %s", wire.SuiteName(h.CipherSuites[0]))
				}
				msg, err := h.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				if n := len(msg) - 5; n >= 256 && n < 512 {
					t.Errorf("a probe is %d bytes long", n)
				}
				all = append(all, h.CipherSuites...)
			}
			want := probeSuites(v)
			if len(all) != len(want) || len(slices.Compact(slices.Sorted(slices.Values(all)))) != len(want) {
				t.Errorf("probes offer %d suites (%d distinct), want each of %d once", len(all), len(slices.Compact(slices.Sorted(slices.Values(all)))), len(want))
			}
			if v != wire.VersionTLS12 {
				return
			}
			first := versionHellos(v, "")[0].CipherSuites
			for _, s := range policy.PagerDutySuites() {
				if ws, ok := wire.SuiteByID(s.ID); ok && !ws.Signaling && !slices.Contains(first, s.ID) {
					t.Errorf("the first TLS 1.2 probe lacks the policy's %s", s.Name)
				}
			}
		})
	}
}

// TestPolicyHelloIsThePolicys: the pagerduty hello is sent as the policy
// holds it, unpadded, whatever its length.
func TestPolicyHelloIsThePolicys(t *testing.T) {
	t.Parallel()
	pol := policy.PagerDuty()
	h := policyHello(pol, "webhooks-receiver.internal.example.test")
	if h.Padding || !slices.Equal(h.CipherSuites, pol.CipherSuites) || !slices.Equal(h.Groups, pol.Hello.Groups) ||
		!slices.Equal(h.SignatureAlgorithms, pol.Hello.SignatureAlgorithms) || h.ExtendedMasterSecret || h.RenegotiationInfo {
		t.Errorf("policyHello(pagerduty) = %+v, want the policy's hello, unpadded", h)
	}
}

// TestTLS13Probe: the full handshake's ServerHello tells whether the server
// speaks TLS 1.3 (it picks the highest version offered), so no TLS 1.3
// probe is sent against either server: three connections each.
func TestTLS13Probe(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Test Root")
	leaf := testpki.Leaf(t, root, "example.test")
	store := trust.New("test", "v1", []*trust.Root{{Cert: root.Cert}})
	for _, tt := range []struct {
		name  string
		max   uint16
		tls13 bool
		conns int
	}{
		// The policy's handshake, the full handshake, the TLS 1.1 probe:
		// the full handshake's version tells TLS 1.3 either way.
		{"TLS 1.3 server", tls.VersionTLS13, true, 3},
		{"TLS 1.2 server", tls.VersionTLS12, false, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr := testServer(t, &tls.Config{Certificates: []tls.Certificate{tlsCert(leaf)}, MaxVersion: tt.max})
			r, err := inspectAddr(t, addr, Options{Store: store})
			if err != nil {
				t.Fatal(err)
			}
			if r.TLS.Versions["TLS 1.3"] != tt.tls13 || r.TLS.Handshakes != tt.conns {
				t.Errorf("versions %v, %d connections; want TLS 1.3 %v, %d connections", r.TLS.Versions, r.TLS.Handshakes, tt.tls13, tt.conns)
			}
		})
	}
}
