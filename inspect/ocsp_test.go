package inspect

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"chainscope/internal/testpki"
)

// TestOCSP: a stapled response is decoded and judged; the sender checks no
// revocation, so nothing fails, and revoked, unknown, expired, foreign and
// undecodable responses warn.
func TestOCSP(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "OCSP Root")
	leaf := testpki.Leaf(t, root, "example.test")
	other := testpki.Leaf(t, root, "other.test")
	at := testpki.Now
	staple := func(cert *x509.Certificate, status int, next time.Time) []byte {
		der, err := ocsp.CreateResponse(root.Cert, root.Cert, ocsp.Response{
			Status: status, SerialNumber: cert.SerialNumber, ThisUpdate: at.Add(-time.Hour), NextUpdate: next,
			RevokedAt: at.Add(-48 * time.Hour), RevocationReason: ocsp.KeyCompromise,
		}, root.Key)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	certs := []*x509.Certificate{leaf.Cert, root.Cert}
	tests := []struct {
		name   string
		raw    []byte
		status Status
		state  string
		detail string // in the check's detail, when given
	}{
		{"none", nil, StatusInfo, "", ""},
		{"good", staple(leaf.Cert, ocsp.Good, at.Add(72*time.Hour)), StatusPass, "good", ""},
		{"revoked", staple(leaf.Cert, ocsp.Revoked, at.Add(72*time.Hour)), StatusWarn, "revoked", "is revoked"},
		{"unknown", staple(leaf.Cert, ocsp.Unknown, at.Add(72*time.Hour)), StatusWarn, "unknown", ""},
		{"expired", staple(leaf.Cert, ocsp.Good, at.Add(-time.Minute)), StatusWarn, "good", ""},
		{"another certificate's", staple(other.Cert, ocsp.Good, at.Add(72*time.Hour)), StatusWarn, "good", "another certificate"},
		// A server still stapling the response of the certificate it
		// replaced (revoked): the leaf it sends is not the revoked one.
		{"another certificate's, revoked", staple(other.Cert, ocsp.Revoked, at.Add(72*time.Hour)), StatusWarn, "revoked", "another certificate"},
		{"garbage", []byte("not an OCSP response"), StatusWarn, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := decodeOCSP(tt.raw, certs)
			c := ocspCheck(st, at)
			if c.Status != tt.status {
				t.Errorf("ocspCheck(%s) = %s (%s), want %s", tt.name, c.Status, c.Detail, tt.status)
			}
			if !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("ocspCheck(%s).Detail = %q, want it to say %q", tt.name, c.Detail, tt.detail)
			}
			if st != nil && st.Status != tt.state {
				t.Errorf("decodeOCSP(%s).Status = %q, want %q", tt.name, st.Status, tt.state)
			}
			if tt.name == "revoked" && (st.RevocationReason != "keyCompromise" || st.RevokedAt == nil) {
				t.Errorf("decodeOCSP(revoked) = %+v, want keyCompromise with its date", st)
			}
		})
	}
}

// FuzzDecodeOCSP: any stapled bytes decode to a status or an error, never
// a panic.
func FuzzDecodeOCSP(f *testing.F) {
	f.Add([]byte{0x30, 0x03, 0x0a, 0x01, 0x01})
	f.Add([]byte("not an OCSP response"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if st := decodeOCSP(raw, nil); len(raw) > 0 && st == nil {
			t.Fatal("decodeOCSP(non-empty) = nil")
		}
	})
}
