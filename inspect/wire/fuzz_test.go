package wire

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"slices"
	"testing"
)

// fuzzLimits are small, so the fuzzer reaches them.
var fuzzLimits = Limits{MaxRecord: 4096, MaxMessage: 8192, MaxFlight: 32768, MaxCertificates: 8, MaxRecords: 64}

// fuzzHellos are fixed hellos (fixed random and session id) the fuzz
// targets read flights for; the first byte of a fuzz input picks one.
func fuzzHellos() []*ClientHello {
	return []*ClientHello{tls12Hello(), tls13Hello(), goTLS12Hello(), goTLS13Hello(GroupX25519)}
}

// addFlightSeeds adds crafted flights and flights captured from crypto/tls.
func addFlightSeeds(f *testing.F) {
	msgs := tls12Messages()
	hrr := tls13SH().with(extSV13, extension{extKeyShare, u16(GroupSecp256r1)}, extension{extCookie, []byte{0, 1, 'c'}})
	hrr.random = helloRetryRandom
	dhe := tls12SH()
	dhe.suite = 0x009F
	for _, s := range []struct {
		hello uint8
		data  []byte
	}{
		{0, oneRecord(msgs...)},
		{0, eachRecord(msgs...)},
		{0, recSplit(recordHandshake, cat(msgs...), 7)},
		{0, oneRecord(dhe.msg(), msgs[1], hs(typeServerKeyExchange, dheBody([]byte{0xC3, 5}, []byte{2}, []byte{7}, SchemeRSAPKCS1SHA256, []byte("s"))), msgs[5])},
		{0, rec(recordAlert, []byte{2, 40})},
		{0, []byte("HTTP/1.1 400 Bad Request\r\n\r\n")},
		{0, []byte{0x80, 0x2e, 0x04, 0x00, 0x01, 0x00, 0x02}},
		{1, oneRecord(tls13SH().msg())},
		{1, cat(rec(recordChangeCipherSpec, []byte{1}), oneRecord(hrr.msg()))},
	} {
		f.Add(s.hello, s.data)
	}

	p := getPKI(f)
	pool := x509.NewCertPool()
	pool.AddCert(p.clientCA1)
	for _, cfg := range []*tls.Config{
		{Certificates: []tls.Certificate{ecChain(p)}},
		{Certificates: []tls.Certificate{rsaChain(p)}, ClientAuth: tls.RequireAnyClientCert, ClientCAs: pool},
	} {
		addr := goServer(f, cfg)
		for i, h := range fuzzHellos() {
			if i < 2 {
				continue // tls12Hello and tls13Hello offer a name Go's server ignores; the go* hellos suffice
			}
			if _, raw, err := captureFlight(f, addr, h); err == nil {
				f.Add(uint8(i), raw)
			} else {
				f.Logf("capture from crypto/tls with hello %d: %v", i, err)
			}
		}
	}
}

func FuzzReadServerFlight(f *testing.F) {
	addFlightSeeds(f)
	hellos := fuzzHellos()
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		h := hellos[int(which)%len(hellos)]
		fl, err := ReadServerFlight(bytes.NewReader(data), h, fuzzLimits)
		if err != nil {
			var fe *FlightError
			if !errors.As(err, &fe) {
				t.Fatalf("ReadServerFlight() error = %T %v, want *FlightError", err, err)
			}
		} else if fl == nil {
			t.Fatalf("ReadServerFlight() = nil, nil")
		}
		if fl == nil {
			return
		}
		if len(fl.Certificates) > fuzzLimits.MaxCertificates {
			t.Fatalf("ReadServerFlight() kept %d certificates, limit %d", len(fl.Certificates), fuzzLimits.MaxCertificates)
		}
		for i, c := range fl.Certificates {
			if len(c) == 0 {
				t.Fatalf("ReadServerFlight() certificate %d is empty", i)
			}
		}
		if err != nil {
			return
		}
		if !h.offers(fl.Version) || !slices.Contains(h.CipherSuites, fl.CipherSuite) {
			t.Fatalf("ReadServerFlight() accepted %s %s, which the hello did not offer", VersionName(fl.Version), SuiteName(fl.CipherSuite))
		}
		if fl.Version < VersionTLS13 && !fl.Complete || fl.Version == VersionTLS13 && fl.Complete {
			t.Fatalf("ReadServerFlight() Complete = %v at %s", fl.Complete, VersionName(fl.Version))
		}
	})
}

func FuzzParseServerHello(f *testing.F) {
	hrr := tls13SH().with(extSV13, extension{extKeyShare, u16(GroupSecp256r1)})
	hrr.random = helloRetryRandom
	for i, s := range []shSpec{tls12SH(), tls13SH(), hrr, {version: VersionTLS10, random: serverRandom, suite: 0x002F, noExts: true}} {
		f.Add(uint8(i%2), s.body())
	}
	hellos := fuzzHellos()
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		sh, err := parseServerHello(body)
		if err != nil {
			return
		}
		if len(sh.sessionID) > 32 {
			t.Fatalf("parseServerHello() session id of %d bytes", len(sh.sessionID))
		}
		// Re-encoding gives the same bytes.
		spec := shSpec{version: sh.version, random: sh.random, sessionID: sh.sessionID, suite: sh.cipherSuite,
			compression: sh.compression, exts: sh.extensions, noExts: len(body) == 38+len(sh.sessionID)}
		if got := spec.body(); !bytes.Equal(got, body) {
			t.Fatalf("re-encoded ServerHello = %x, want %x", got, body)
		}
		h := hellos[int(which)%len(hellos)]
		fl := &ServerFlight{}
		if err := checkServerHello(fl, sh, h); err == nil {
			if !h.offers(fl.Version) || !slices.Contains(h.CipherSuites, fl.CipherSuite) {
				t.Fatalf("checkServerHello() accepted %s %s, which the hello did not offer", VersionName(fl.Version), SuiteName(fl.CipherSuite))
			}
		}
	})
}

func FuzzParseServerKeyExchange(f *testing.F) {
	p256 := append([]byte{4}, make([]byte, 64)...)
	seeds := []struct {
		suite, version uint16
		body           []byte
	}{
		{0xC02F, VersionTLS12, ecdheBody(GroupX25519, x25519Point, SchemeRSAPSSRSAESHA256, []byte("sig"))},
		{0xC013, VersionTLS10, ecdheBody(GroupSecp256r1, p256, 0, []byte("sig"))},
		{0x009F, VersionTLS12, dheBody(bytes.Repeat([]byte{0xFF}, 256), []byte{2}, []byte{9}, SchemeRSAPKCS1SHA256, []byte("sig"))},
		{0x0034, VersionTLS12, dheBody([]byte{0xFB}, []byte{2}, []byte{9}, 0, nil)},
		{0xC018, VersionTLS12, ecdheBody(GroupX25519, x25519Point, 0, nil)},
		{0x008C, VersionTLS12, []byte{0, 4, 'h', 'i', 'n', 't'}},
		{0x0090, VersionTLS12, cat([]byte{0, 0}, dheBody([]byte{0xFB}, []byte{2}, []byte{9}, 0, nil))},
		{0xC035, VersionTLS12, cat([]byte{0, 0}, ecdheBody(GroupX25519, x25519Point, 0, nil))},
		{0xC01D, VersionTLS12, []byte{0, 1, 0xFB, 0, 1, 2, 1, 7, 0, 1, 9}},
		{0xC021, VersionTLS12, []byte{0, 1, 0xFB, 0, 1, 2, 1, 7, 0, 1, 9, 4, 1, 0, 1, 's'}},
		{0x0003, VersionTLS10, []byte{0, 2, 0xC0, 0x01, 0, 1, 3, 0, 1, 's'}},
	}
	for _, s := range seeds {
		f.Add(s.suite, s.version, s.body)
	}
	f.Fuzz(func(t *testing.T, suite, version uint16, body []byte) {
		s, _ := SuiteByID(suite)
		kx, err := parseServerKeyExchange(body, s, version)
		if kx == nil {
			t.Fatalf("parseServerKeyExchange() = nil, %v", err)
		}
		if kx.DHBits > 8*len(body) {
			t.Fatalf("parseServerKeyExchange() DHBits = %d from %d bytes", kx.DHBits, len(body))
		}
		if err == nil && kx.Group != 0 {
			if n, ok := pointLen[kx.Group]; ok && len(body) < 4+n {
				t.Fatalf("parseServerKeyExchange() accepted a short %s point", GroupName(kx.Group))
			}
		}
	})
}

func FuzzParseCertificateMessages(f *testing.F) {
	f.Add(uint8(0), VersionTLS12, certBody(fakeLeaf, fakeInter))
	f.Add(uint8(0), VersionTLS12, certBody(fakeLeaf, nil))
	f.Add(uint8(1), VersionTLS12, ocspBody([]byte("ocsp")))
	f.Add(uint8(2), VersionTLS12, certReqBody([]byte{1, 64}, []uint16{0x0804, 0x0403}, []byte("CA one"), []byte("CA two")))
	f.Add(uint8(2), VersionTLS11, []byte{1, 1, 0, 4, 0, 2, 'C', 'A'})
	f.Fuzz(func(t *testing.T, kind uint8, version uint16, body []byte) {
		switch kind % 3 {
		case 0:
			certs, err := parseCertificate(body, fuzzLimits.MaxCertificates)
			if err != nil {
				return
			}
			total := 3
			for i, c := range certs {
				if len(c) == 0 {
					t.Fatalf("parseCertificate() entry %d is empty", i)
				}
				total += 3 + len(c)
			}
			if len(certs) == 0 || len(certs) > fuzzLimits.MaxCertificates || total != len(body) {
				t.Fatalf("parseCertificate() = %d certificates, %d bytes from %d", len(certs), total, len(body))
			}
		case 1:
			resp, err := parseCertificateStatus(body)
			if err == nil && (len(resp) == 0 || len(resp)+4 != len(body)) {
				t.Fatalf("parseCertificateStatus() = %d bytes from %d", len(resp), len(body))
			}
		case 2:
			cr, err := parseCertificateRequest(body, version)
			if err != nil {
				return
			}
			if len(cr.CertificateTypes) == 0 || version >= VersionTLS12 && len(cr.SignatureAlgorithms) == 0 {
				t.Fatalf("parseCertificateRequest() = %+v, want types and, at TLS 1.2, algorithms", cr)
			}
			for i, dn := range cr.CANames {
				if len(dn) == 0 {
					t.Fatalf("parseCertificateRequest() CA name %d is empty", i)
				}
			}
		}
	})
}
