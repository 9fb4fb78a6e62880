package inspect

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/trust"
)

// TestRealChains judges chains real public sites presented (testdata/README.md
// says where each came from) against the embedded Mozilla roots, at a fixed
// instant inside their validity.
func TestRealChains(t *testing.T) {
	t.Parallel()
	store, err := trust.Mozilla()
	if err != nil {
		t.Fatal(err)
	}
	date := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		file, at, servername string
		verdict              Verdict
		root                 string
		rootPresented        bool
		want                 map[string]Status
	}{
		{"real-google.com-2026.pem", "2026-03-01", "www.google.com", VerdictPass,
			"CN=GTS Root R1,O=Google Trust Services LLC,C=US", false,
			map[string]Status{CheckOrder: StatusPass, CheckRoot: StatusPass, CheckHostname: StatusPass}},
		{"real-stackoverflow.com-2026.pem", "2026-03-01", "stackoverflow.com", VerdictPass,
			"CN=ISRG Root X1,O=Internet Security Research Group,C=US", false,
			map[string]Status{CheckOrder: StatusPass, CheckRoot: StatusPass}},
		{"real-bing.com-2026.pem", "2026-03-01", "www.bing.com", VerdictPass,
			"CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US", false,
			map[string]Status{CheckOrder: StatusPass, CheckComplete: StatusWarn}},
		{"real-bing.com-2026-out-of-order.pem", "2026-03-01", "www.bing.com", VerdictFail,
			"CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US", false,
			map[string]Status{CheckOrder: StatusFail, CheckComplete: StatusWarn, CheckRoot: StatusPass}},
		{"real-bing.com-2026-missing-intermediate.pem", "2026-03-01", "www.bing.com", VerdictFail,
			"", false,
			map[string]Status{CheckOrder: StatusPass, CheckComplete: StatusFail, CheckRoot: StatusFail}},
		{"real-google.com-2026-reversed.pem", "2026-03-01", "", VerdictFail,
			"CN=GTS Root R1,O=Google Trust Services LLC,C=US", false,
			map[string]Status{CheckOrder: StatusFail, CheckRoot: StatusPass}},
		{"real-cryptography.io-2023-root-presented.pem", "2023-07-01", "cryptography.io", VerdictPass,
			"CN=ISRG Root X1,O=Internet Security Research Group,C=US", true,
			map[string]Status{CheckOrder: StatusPass, CheckExtra: StatusPass}},
		{"real-www.google.com-2022-cross-signed.pem", "2022-11-01", "www.google.com", VerdictPass,
			"CN=GTS Root R1,O=Google Trust Services LLC,C=US", false,
			map[string]Status{CheckOrder: StatusPass, CheckComplete: StatusPass}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			target, err := ParseTarget("../testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Inspect(context.Background(), target, Options{Store: store, At: date(tt.at), ServerName: tt.servername})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tt.verdict {
				for _, c := range r.Checks {
					t.Logf("%s %s: %s", c.ID, c.Status, c.Detail)
				}
				t.Errorf("verdict = %s, want %s", r.Verdict, tt.verdict)
			}
			if r.Trust.RootSubject != tt.root || r.Trust.RootPresented != tt.rootPresented {
				t.Errorf("root = %q presented %v, want %q presented %v", r.Trust.RootSubject, r.Trust.RootPresented, tt.root, tt.rootPresented)
			}
			for id, st := range tt.want {
				if c, _ := r.Check(id); c.Status != st {
					t.Errorf("%s = %s, want %s (%s)", id, c.Status, st, c.Detail)
				}
			}
		})
	}
}

// TestSymantecDistrust judges the real unsorted Symantec chain of
// www.amazon.com (2016) against VeriSign's G5 root with Mozilla's real
// Symantec distrust dates (Mozilla Security Blog, "Distrust of Symantec
// TLS Certificates", 2018-03-12; wiki.mozilla.org/CA/Symantec_Issues):
// Firefox 60 (2018-05-09) distrusted certificates issued before
// 2016-06-01, Firefox 63 (2018-10-23) every certificate under the roots.
// The leaf was issued 2016-10-31: trusted under the first rule, refused
// under the second; the presented VeriSign G4 root is off the path.
func TestSymantecDistrust(t *testing.T) {
	t.Parallel()
	g5 := readCert(t, "../testdata/verisign-class3-g5-root.pem")
	beforeJune2016 := func(chain []*x509.Certificate) error {
		if chain[0].NotBefore.Before(time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)) {
			return errors.New("issued before 2016-06-01, which Mozilla distrusts since Firefox 60 (2018-05-09)")
		}
		return nil
	}
	all := func([]*x509.Certificate) error {
		return errors.New("Mozilla distrusts every certificate under the Symantec roots since Firefox 63 (2018-10-23)")
	}
	tests := []struct {
		name       string
		constraint func([]*x509.Certificate) error
		root       Status
		trusted    bool
		detail     string
	}{
		{"Mozilla's list of 2016", nil, StatusPass, true, "the path ends at CN=VeriSign Class 3 Public Primary Certification Authority - G5"},
		{"Firefox 60: issued before 2016-06-01 distrusted", beforeJune2016, StatusPass, true, "the path ends at CN=VeriSign Class 3 Public Primary Certification Authority - G5"},
		{"Firefox 63: all distrusted", all, StatusFail, false, "distrusts CN=VeriSign Class 3 Public Primary Certification Authority - G5 for this path: Mozilla distrusts every certificate under the Symantec roots since Firefox 63 (2018-10-23)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := trust.New("symantec", tt.name, []*trust.Root{{Cert: g5, Constraint: tt.constraint}})
			target, err := ParseTarget("../testdata/real-amazon.com-2016-unsorted-symantec.pem")
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC)
			r, err := Inspect(context.Background(), target, Options{Store: store, At: at, ServerName: "www.amazon.com"})
			if err != nil {
				t.Fatal(err)
			}
			c, _ := r.Check(CheckRoot)
			if c.Status != tt.root || r.Trust.Trusted != tt.trusted || !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("trust.root = %s (%s), trusted %v; want %s holding %q, trusted %v", c.Status, c.Detail, r.Trust.Trusted, tt.root, tt.detail, tt.trusted)
			}
			if got := pathString(r); got != "#0 -> #2 -> store" {
				t.Errorf("path = %s, want #0 -> #2 -> store", got)
			}
			if r.Chain[1].Role != "unrelated" || !strings.Contains(r.Chain[1].Note, "issued nothing on the path") {
				t.Errorf("#1 (the G4 root) = %s, %q; want unrelated, named", r.Chain[1].Role, r.Chain[1].Note)
			}
			for id, st := range map[string]Status{CheckOrder: StatusFail, CheckComplete: StatusPass, CheckValidity: StatusPass, CheckHostname: StatusPass} {
				if c, _ := r.Check(id); c.Status != st {
					t.Errorf("%s = %s, want %s (%s)", id, c.Status, st, c.Detail)
				}
			}
		})
	}
}

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
