package policy

import (
	"crypto/x509"
	"slices"
	"testing"
	"time"
)

// TestPagerDutyClientChains: every chain of the data is what its source
// says, and verifies by signature: leaf under intermediate, intermediate
// under root, the root self-signed; periods follow each other per region.
func TestPagerDutyClientChains(t *testing.T) {
	t.Parallel()
	a := PagerDuty().ClientAuth
	if len(a.Chains) == 0 {
		t.Fatal("pagerduty lists no client chains")
	}
	last := map[string]time.Time{}
	for _, c := range a.Chains {
		t.Run(c.Name, func(t *testing.T) {
			if c.Root == nil || c.Intermediate == nil || c.Source == "" || c.CN == "" {
				t.Fatalf("chain %q lacks a root, an intermediate, a CN or its source", c.Name)
			}
			// CheckSignature, unlike CheckSignatureFrom, accepts the SHA-1
			// self-signature of DigiCert Global Root CA (a root's own
			// signature is never judged by verifiers).
			if err := c.Root.CheckSignature(c.Root.SignatureAlgorithm, c.Root.RawTBSCertificate, c.Root.Signature); err != nil {
				t.Errorf("root %s is not self-signed: %v", c.Root.Subject, err)
			}
			if err := c.Intermediate.CheckSignatureFrom(c.Root); err != nil {
				t.Errorf("intermediate %s not issued by %s: %v", c.Intermediate.Subject, c.Root.Subject, err)
			}
			if c.Leaf != nil {
				if err := c.Leaf.CheckSignatureFrom(c.Intermediate); err != nil {
					t.Errorf("leaf not issued by %s: %v", c.Intermediate.Subject, err)
				}
				if c.Leaf.Subject.CommonName != c.CN || !slices.Contains(c.Leaf.ExtKeyUsage, x509.ExtKeyUsageClientAuth) {
					t.Errorf("leaf CN = %q, EKU %v; want CN %q with clientAuth", c.Leaf.Subject.CommonName, c.Leaf.ExtKeyUsage, c.CN)
				}
				// The certificate was valid while the sender presented it.
				if !c.From.IsZero() && (c.Leaf.NotBefore.After(c.From) || c.Until.After(c.Leaf.NotAfter)) {
					t.Errorf("leaf valid %s to %s, presented %s to %s", c.Leaf.NotBefore, c.Leaf.NotAfter, c.From, c.Until)
				}
			}
			if !c.From.After(last[c.Region]) && !last[c.Region].IsZero() {
				t.Errorf("chain %q starts %s, not after the previous %s chain (%s)", c.Name, c.From, c.Region, last[c.Region])
			}
			last[c.Region] = c.From
		})
	}
}

// TestClientAuthAtTimes: which chain, root and intermediate are current,
// and which roots are retired, at instants of the documented history.
func TestClientAuthAtTimes(t *testing.T) {
	t.Parallel()
	a := PagerDuty().ClientAuth
	const (
		rootCA = "CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US"
		rootG2 = "CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US"
		sha2   = "CN=DigiCert SHA2 Secure Server CA,O=DigiCert Inc,C=US"
		tls20  = "CN=DigiCert TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US"
		g2int  = "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US"
	)
	tests := []struct {
		at           string
		current      []string
		roots, ints  []string
		retired, cns []string
	}{
		{"2019-06-01", []string{"seed US"}, []string{rootCA}, []string{sha2}, nil, []string{"webhooks.pagerduty.com"}},
		{"2022-06-01", []string{"2022 US", "2022 EU"}, []string{rootCA}, []string{tls20}, nil, []string{"webhooks.pagerduty.com", "webhooks.eu.pagerduty.com"}},
		{"2024-06-01", []string{"2024 US", "2024 EU"}, []string{rootG2}, []string{g2int}, []string{rootCA}, []string{"webhooks.pagerduty.com", "webhooks.eu.pagerduty.com"}},
		{"2026-11-30", []string{"2026 US", "2026 EU"}, []string{rootG2}, []string{g2int}, []string{rootCA}, []string{"webhooks.pagerduty.com", "webhooks.eu.pagerduty.com"}},
		{"2030-01-01", []string{"2026 US", "2026 EU"}, []string{rootG2}, []string{g2int}, []string{rootCA}, []string{"webhooks.pagerduty.com", "webhooks.eu.pagerduty.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			at, _ := time.Parse(time.DateOnly, tt.at)
			var names []string
			for _, c := range a.Current(at) {
				names = append(names, c.Name)
			}
			var retired []string
			retired = append(retired, a.RetiredRootNames(at)...)
			for _, c := range []struct {
				what      string
				got, want []string
			}{
				{"Current", names, tt.current},
				{"RootNames", a.RootNames(at), tt.roots},
				{"IntermediateNames", a.IntermediateNames(at), tt.ints},
				{"RetiredRootNames", retired, tt.retired},
				{"CommonNames", a.CommonNames(at), tt.cns},
			} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s(%s) = %q, want %q", c.what, tt.at, c.got, c.want)
				}
			}
		})
	}
}

// TestClientAuthWithoutChains: a policy naming one root answers from it.
func TestClientAuthWithoutChains(t *testing.T) {
	t.Parallel()
	a := ClientAuth{CASubject: "CN=Root", Intermediate: "CN=Int", SubjectCN: "client.example", VerifyDepth: 2}
	now := time.Now()
	if !a.Presents() || !slices.Equal(a.RootNames(now), []string{"CN=Root"}) || !slices.Equal(a.IntermediateNames(now), []string{"CN=Int"}) ||
		!slices.Equal(a.CommonNames(now), []string{"client.example"}) || a.RetiredRootNames(now) != nil {
		t.Errorf("ClientAuth{CASubject: CN=Root} answers %q %q %q %q", a.RootNames(now), a.IntermediateNames(now), a.CommonNames(now), a.RetiredRootNames(now))
	}
	if (ClientAuth{}).Presents() {
		t.Error("ClientAuth{}.Presents() = true, want false")
	}
}

// TestPagerDutyHello: the sender's ClientHello as sender-model.md section 2
// has it: OTP's 28 curves in OTP's order, its 11 TLS 1.2 signature
// schemes, four extensions in OTP's order, no EMS or renegotiation_info.
func TestPagerDutyHello(t *testing.T) {
	t.Parallel()
	h := PagerDuty().Hello
	if len(h.Groups) != 28 || h.Groups[0] != 14 || h.Groups[11] != 22 || h.Groups[12] != 23 {
		t.Errorf("groups = %v, want OTP's 28 from sect571r1, secp256k1 before secp256r1", h.Groups)
	}
	want := []uint16{0x0603, 0x0601, 0x0503, 0x0501, 0x0403, 0x0401, 0x0303, 0x0301, 0x0203, 0x0201, 0x0202}
	if !slices.Equal(h.SignatureAlgorithms, want) {
		t.Errorf("signature algorithms = %04x, want %04x", h.SignatureAlgorithms, want)
	}
	if !slices.Equal(h.ExtensionOrder, []uint16{0, 13, 10, 11}) || h.ExtendedMasterSecret || h.RenegotiationInfo || h.StatusRequest || h.RecordVersion != 0x0303 {
		t.Errorf("hello profile = %+v, want OTP's four extensions in a TLS 1.2 record", h)
	}
}
