package impostor

import (
	"crypto/x509"
	"strconv"
	"strings"
	"testing"
	"time"

	"chainscope/internal/testpki"
)

// TestClients: what each client presents, for a stand-in given as a root
// alone and as its intermediate with the root.
func TestClients(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Stand-in Root")
	inter := testpki.Intermediate(t, root, "Stand-in CA")
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		standIn CA
		other   bool
		// want is "id:certificates sent" per client, in order.
		want string
	}{
		{"root alone", CA{Chain: testpki.X509(root), Key: root.Key}, false,
			"sender:2 sender:2 no_cert:0 other_cn:2 evil_suffix:2 look_alike:2 other_ca:2 depth:3 expired:2 direct:1"},
		{"intermediate and root", CA{Chain: testpki.X509(inter, root), Key: inter.Key}, true,
			"sender:2 sender:2 sender_leaf:1 no_cert:0 other_cn:2 evil_suffix:2 look_alike:2 other_ca:2 depth:3 expired:2 stranger:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Spec{StandIn: tt.standIn, CNs: []string{"webhooks.test", "webhooks.eu.test"}, Intermediates: 1, Now: now}
			if tt.other {
				o := testpki.Root(t, "Other Root")
				s.Other = &CA{Chain: testpki.X509(o), Key: o.Key}
			}
			clients, err := Clients(s)
			if err != nil {
				t.Fatalf("Clients() error = %v", err)
			}
			var got []string
			cns := map[string]string{}
			for _, c := range clients {
				n := 0
				if c.Certificate != nil {
					n = len(c.Certificate.Certificate)
					cns[c.ID] = c.Certificate.Leaf.Subject.CommonName
					if c.ID != Expired && (now.Before(c.Certificate.Leaf.NotBefore) || now.After(c.Certificate.Leaf.NotAfter)) {
						t.Errorf("%s is not valid at %s", c.ID, now)
					}
				}
				got = append(got, c.ID+":"+strconv.Itoa(n))
				if c.Accept != (c.ID == Sender || c.ID == SenderLeaf || c.ID == Direct) {
					t.Errorf("%s: Accept = %v", c.ID, c.Accept)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("clients = %s\nwant %s", g, tt.want)
			}
			for id, cn := range map[string]string{EvilSuffix: "webhooks.test.evil.example", LookAlike: "webhooks-test.evil.example", OtherCN: "other.example", Depth: "webhooks.test"} {
				if cns[id] != cn {
					t.Errorf("%s CN = %q, want %q", id, cns[id], cn)
				}
			}
			// The sender's chain verifies up to the stand-in root; the
			// other CA's does not; the expired one has expired.
			roots := x509.NewCertPool()
			roots.AddCert(root.Cert)
			for _, c := range clients {
				if c.Certificate == nil {
					continue
				}
				inter := x509.NewCertPool()
				for _, der := range c.Certificate.Certificate[1:] {
					x, _ := x509.ParseCertificate(der)
					inter.AddCert(x)
				}
				if c.ID == SenderLeaf {
					inter.AddCert(tt.standIn.Chain[0])
				}
				_, err := c.Certificate.Leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
				under := c.ID != OtherCA && c.ID != Stranger && c.ID != Expired
				if (err == nil) != under {
					t.Errorf("%s verifies under the stand-in root: %v, want %v", c.ID, err, under)
				}
			}
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	root := testpki.Root(t, "Root")
	inter := testpki.Intermediate(t, root, "CA")
	other := testpki.Root(t, "Other")
	leaf := testpki.Leaf(t, inter, "leaf.test")
	tests := []struct {
		name string
		ca   CA
		err  string
	}{
		{"empty", CA{Key: root.Key}, "no CA certificate"},
		{"wrong key", CA{Chain: testpki.X509(inter, root), Key: root.Key}, "does not belong"},
		{"not a CA", CA{Chain: testpki.X509(leaf, inter, root), Key: leaf.Key}, "not a CA"},
		{"no root", CA{Chain: testpki.X509(inter), Key: inter.Key}, "not a self-signed root"},
		{"unrelated", CA{Chain: testpki.X509(inter, other), Key: inter.Key}, "not issued by"},
	}
	for _, tt := range tests {
		if err := tt.ca.Check(); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: Check() = %v, want %q", tt.name, err, tt.err)
		}
	}
	if err := (CA{Chain: testpki.X509(inter, root), Key: inter.Key}).Check(); err != nil {
		t.Errorf("Check(intermediate, root) = %v", err)
	}
}
