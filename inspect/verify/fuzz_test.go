package verify

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"chainscope/inspect/certfile"
	"chainscope/inspect/trust"
)

// realBundle is a chain as a real site presented it (testdata/real-*.pem)
// and an instant inside its leaf's validity.
type realBundle struct {
	name  string
	certs []*x509.Certificate
	at    time.Time
}

var (
	realOnce    sync.Once
	realBundles []realBundle
	realPool    []*x509.Certificate
	mozilla     *trust.Store
	mozillaPool *x509.CertPool
	realErr     error
)

// loadReal reads the real bundles whose signatures are all SHA-2 (where
// crypto/x509 and the sender agree on algorithms) and the Mozilla store,
// once per test binary.
func loadReal(tb testing.TB) {
	realOnce.Do(func() {
		files, err := filepath.Glob("../../testdata/real-*.pem")
		if err != nil || len(files) == 0 {
			realErr = err
			return
		}
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				realErr = err
				return
			}
			cf, err := certfile.Parse(f, data)
			if err != nil {
				realErr = err
				return
			}
			sha2 := true
			for _, c := range cf.Certificates {
				if AlgorithmOf(c).Verdict != Accepted && c.CheckSignatureFrom(c) != nil {
					sha2 = false
				}
			}
			if !sha2 {
				continue
			}
			leaf := cf.Certificates[0]
			at := leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
			realBundles = append(realBundles, realBundle{filepath.Base(f), cf.Certificates, at})
			realPool = append(realPool, cf.Certificates...)
		}
		mozilla, realErr = trust.Mozilla()
		if realErr != nil {
			return
		}
		mozillaPool = x509.NewCertPool()
		for _, r := range mozilla.Roots() {
			mozillaPool.AddCertWithConstraint(r.Cert, r.Constraint)
		}
	})
	if realErr != nil || len(realBundles) == 0 {
		tb.Fatalf("real bundles: %v (%d read)", realErr, len(realBundles))
	}
}

// FuzzPathAgreesWithX509 permutes, trims, repeats and mixes the
// certificates of real bundles and checks that a valid path from position
// 0 is found exactly when crypto/x509 finds one, against Mozilla's roots at
// an instant inside the bundle's validity. On SHA-2 chains the two apply
// the same rules (the sender's differ from Go's on SHA-1, small keys and
// what a trust anchor is, none of which these bundles hold). Position 0
// standing for a store root is left out: Go then takes the presented copy
// as the whole chain.
func FuzzPathAgreesWithX509(f *testing.F) {
	loadReal(f)
	for i, b := range realBundles {
		n := len(b.certs)
		order, reversed := make([]byte, n), make([]byte, n)
		for j := range n {
			order[j], reversed[j] = byte(j), byte(n-1-j)
		}
		f.Add(uint8(i), false, order)
		f.Add(uint8(i), false, reversed)
		f.Add(uint8(i), false, order[:1])
		f.Add(uint8(i), true, append([]byte{0}, order...))
	}
	f.Fuzz(func(t *testing.T, file uint8, mix bool, pick []byte) {
		b := realBundles[int(file)%len(realBundles)]
		from := b.certs
		if mix {
			from = append(append([]*x509.Certificate(nil), b.certs[:1]...), realPool...)
		}
		if len(pick) == 0 || len(pick) > 8 {
			return
		}
		certs := make([]*x509.Certificate, len(pick))
		for i, p := range pick {
			certs[i] = from[int(p)%len(from)]
		}
		a := Analyze(certs, Options{Store: mozilla, At: b.at})
		if a.StandsForRoot(0) {
			return
		}
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		_, err := certs[0].Verify(x509.VerifyOptions{
			Roots: mozillaPool, Intermediates: inter, CurrentTime: b.at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		})
		if got, want := a.Best().Valid(), err == nil; got != want {
			var names []string
			for _, c := range certs {
				names = append(names, c.Subject.CommonName)
			}
			t.Errorf("%s %v at %s: valid path = %v, crypto/x509 finds one = %v (%v); best path failures %+v",
				b.name, names, b.at.Format(time.DateOnly), got, want, err, a.Best().Failures)
		}
	})
}

// TestRealBundlesJudged keeps FuzzPathAgreesWithX509 meaningful: among the
// real bundles as presented, some have a valid path and some do not, and
// crypto/x509 agrees on each.
func TestRealBundlesJudged(t *testing.T) {
	t.Parallel()
	loadReal(t)
	valid := 0
	for _, b := range realBundles {
		a := Analyze(b.certs, Options{Store: mozilla, At: b.at})
		inter := x509.NewCertPool()
		for _, c := range b.certs[1:] {
			inter.AddCert(c)
		}
		_, err := b.certs[0].Verify(x509.VerifyOptions{Roots: mozillaPool, Intermediates: inter, CurrentTime: b.at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if got := a.Best().Valid(); got != (err == nil) {
			t.Errorf("%s: valid path = %v, crypto/x509: %v", b.name, got, err)
		}
		if err == nil {
			valid++
		}
	}
	if valid == 0 || valid == len(realBundles) {
		t.Errorf("%d of %d bundles valid: want some of each", valid, len(realBundles))
	}
}
