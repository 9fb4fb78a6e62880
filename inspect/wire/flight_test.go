package wire

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// oneRecord puts every message in a single handshake record.
func oneRecord(msgs ...[]byte) []byte { return rec(recordHandshake, cat(msgs...)) }

// eachRecord puts every message in a record of its own.
func eachRecord(msgs ...[]byte) []byte {
	var out []byte
	for _, m := range msgs {
		out = append(out, rec(recordHandshake, m)...)
	}
	return out
}

func TestReadServerFlightTLS12(t *testing.T) {
	msgs := tls12Messages()
	tests := []struct {
		name string
		data []byte
	}{
		{"one record", oneRecord(msgs...)},
		{"record per message", eachRecord(msgs...)},
		{"7-byte records", recSplit(recordHandshake, cat(msgs...), 7)},
		{"hello request first", oneRecord(append([][]byte{hs(typeHelloRequest, nil)}, msgs...)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fl, err := ReadServerFlight(bytes.NewReader(tt.data), tls12Hello(), Limits{})
			if err != nil {
				t.Fatalf("ReadServerFlight() error = %v", err)
			}
			checks := []struct {
				name      string
				got, want any
			}{
				{"Version", fl.Version, VersionTLS12},
				{"CipherSuite", fl.CipherSuite, uint16(0xC02F)},
				{"Complete", fl.Complete, true},
				{"ALPN", fl.ALPN, "h2"},
				{"RenegotiationInfo", fl.RenegotiationInfo, true},
				{"ExtendedMasterSecret", fl.ExtendedMasterSecret, true},
				{"HelloRetryRequest", fl.HelloRetryRequest, false},
				{"OCSPResponse", string(fl.OCSPResponse), "ocsp response"},
				{"len(Certificates)", len(fl.Certificates), 2},
				{"KeyExchange.Kind", fl.KeyExchange.Kind, "ECDHE"},
				{"KeyExchange.Group", fl.KeyExchange.Group, GroupX25519},
				{"KeyExchange.SignatureAlgorithm", fl.KeyExchange.SignatureAlgorithm, SchemeRSAPSSRSAESHA256},
				{"len(Messages)", len(fl.Messages), 6},
				{"Messages[1]", fl.Messages[1].Name, "certificate"},
				{"LargestMessage", fl.LargestMessage().Length, slices.MaxFunc(fl.Messages, func(a, b Message) int { return a.Length - b.Length }).Length},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("ReadServerFlight() %s = %v, want %v", c.name, c.got, c.want)
				}
			}
			if !slices.Equal(fl.Extensions, []uint16{extRenegotiationInfo, extExtendedMasterSecret, extECPointFormats, extStatusRequest, extALPN}) {
				t.Errorf("ReadServerFlight() Extensions = %v, want the ServerHello's in order", fl.Extensions)
			}
			if len(fl.Certificates) == 2 && (!bytes.Equal(fl.Certificates[0], fakeLeaf) || !bytes.Equal(fl.Certificates[1], fakeInter)) {
				t.Errorf("ReadServerFlight() Certificates = %q, want leaf then intermediate", fl.Certificates)
			}
			cr := fl.CertificateRequest
			if cr == nil || !bytes.Equal(cr.CertificateTypes, []byte{1, 64}) ||
				!slices.Equal(cr.SignatureAlgorithms, []uint16{SchemeRSAPSSRSAESHA256}) ||
				len(cr.CANames) != 2 || string(cr.CANames[0]) != "CA one" || string(cr.CANames[1]) != "CA two" {
				t.Errorf("ReadServerFlight() CertificateRequest = %+v, want types 1,64, rsa_pss_rsae_sha256, CA one and two", cr)
			}
		})
	}
}

func TestReadServerFlightKeyExchanges(t *testing.T) {
	p2048 := append([]byte{0x80}, make([]byte, 255)...)
	hello := tls12Hello()
	hello.Version = VersionTLS12
	tests := []struct {
		name  string
		suite uint16
		ske   []byte
		want  KeyExchange
		hello func(*ClientHello)
		ver   uint16
	}{
		{"DHE", 0x009F, dheBody(p2048, []byte{2}, []byte{5}, SchemeRSAPKCS1SHA256, []byte("s")),
			KeyExchange{Kind: "DHE", DHBits: 2048, SignatureAlgorithm: SchemeRSAPKCS1SHA256}, nil, VersionTLS12},
		{"DHE leading zero in p", 0x009F, dheBody(append([]byte{0}, p2048[:128]...), []byte{2}, []byte{5}, SchemeRSAPKCS1SHA256, []byte("s")),
			KeyExchange{Kind: "DHE", DHBits: 1024, SignatureAlgorithm: SchemeRSAPKCS1SHA256}, nil, VersionTLS12},
		{"ECDH_anon", 0xC018, ecdheBody(GroupSecp256r1, append([]byte{4}, make([]byte, 64)...), 0, nil),
			KeyExchange{Kind: "ECDH_anon", Group: GroupSecp256r1}, nil, VersionTLS12},
		{"PSK hint", 0x008C, []byte{0, 2, 'h', 'i'}, KeyExchange{Kind: "PSK"}, nil, VersionTLS12},
		{"ECDHE at TLS 1.0 has no algorithm", 0xC013, ecdheBody(GroupX25519, x25519Point, 0, []byte("s")),
			KeyExchange{Kind: "ECDHE", Group: GroupX25519}, func(h *ClientHello) { h.CipherSuites = append(h.CipherSuites, 0xC013) }, VersionTLS10},
		{"RSA export temporary key", 0x0003, []byte{0, 2, 0xC0, 0x01, 0, 1, 3, 0, 1, 's'},
			KeyExchange{Kind: "RSA"}, nil, VersionTLS10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tls12Hello()
			if tt.hello != nil {
				tt.hello(h)
			}
			sh := tls12SH()
			sh.suite, sh.version = tt.suite, tt.ver
			sh.exts = []extension{extRI}
			var msgs [][]byte
			msgs = append(msgs, sh.msg())
			if s, _ := SuiteByID(tt.suite); s.Auth != "anon" && s.Auth != "PSK" {
				msgs = append(msgs, hs(typeCertificate, certBody(fakeLeaf)))
			}
			msgs = append(msgs, hs(typeServerKeyExchange, tt.ske), hs(typeServerHelloDone, nil))
			fl, err := ReadServerFlight(bytes.NewReader(oneRecord(msgs...)), h, Limits{})
			if err != nil {
				t.Fatalf("ReadServerFlight() error = %v", err)
			}
			if fl.KeyExchange == nil {
				t.Fatalf("ReadServerFlight() KeyExchange = nil, want %+v", tt.want)
			}
			got := *fl.KeyExchange
			// The signed parameters end where the signature begins.
			if got.Signature != nil && (!bytes.HasSuffix(tt.ske, got.Signature) || len(got.Params) == 0 || !bytes.Contains(tt.ske, got.Params)) {
				t.Errorf("ReadServerFlight() Params = %x, not the bytes before the signature of %x", got.Params, tt.ske)
			}
			got.Params, got.Signature = nil, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadServerFlight() KeyExchange = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadServerFlightTLS13(t *testing.T) {
	hrr := tls13SH().with(extSV13, extension{extKeyShare, u16(GroupSecp256r1)}, extension{extCookie, []byte{0, 2, 'c', 'k'}})
	hrr.random = helloRetryRandom
	ccs := rec(recordChangeCipherSpec, []byte{1})
	tests := []struct {
		name      string
		data      []byte
		wantHRR   bool
		wantGroup uint16
	}{
		{"server hello", oneRecord(tls13SH().msg()), false, GroupX25519},
		{"server hello then encrypted records", cat(oneRecord(tls13SH().msg()), ccs, rec(recordApplicationData, []byte("encrypted"))), false, GroupX25519},
		{"compatibility change_cipher_spec first", cat(ccs, oneRecord(tls13SH().msg())), false, GroupX25519},
		{"hello retry request", cat(oneRecord(hrr.msg()), ccs), true, GroupSecp256r1},
		{"hello retry request split", recSplit(recordHandshake, hrr.msg(), 3), true, GroupSecp256r1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fl, err := ReadServerFlight(bytes.NewReader(tt.data), tls13Hello(), Limits{})
			if err != nil {
				t.Fatalf("ReadServerFlight() error = %v", err)
			}
			if fl.Version != VersionTLS13 || fl.CipherSuite != 0x1301 || fl.HelloRetryRequest != tt.wantHRR ||
				fl.SelectedGroup != tt.wantGroup || fl.Complete || len(fl.Certificates) != 0 {
				t.Errorf("ReadServerFlight() = %+v, want TLS 1.3, 0x1301, HRR %v, group %s, not complete",
					fl, tt.wantHRR, GroupName(tt.wantGroup))
			}
		})
	}
}

func TestReadServerFlightTLS13FallsBackTo12(t *testing.T) {
	h := tls13Hello()
	sh := tls12SH().with(extRI)
	data := oneRecord(sh.msg(), hs(typeCertificate, certBody(fakeLeaf)),
		hs(typeServerKeyExchange, ecdheBody(GroupX25519, x25519Point, SchemeECDSAP256SHA256, []byte("s"))),
		hs(typeServerHelloDone, nil))
	fl, err := ReadServerFlight(bytes.NewReader(data), h, Limits{})
	if err != nil {
		t.Fatalf("ReadServerFlight() error = %v", err)
	}
	if fl.Version != VersionTLS12 || !fl.Complete {
		t.Errorf("ReadServerFlight() = version %s complete %v, want TLS 1.2 complete", VersionName(fl.Version), fl.Complete)
	}
}

func TestReadServerFlightErrors(t *testing.T) {
	msgs := tls12Messages()
	sh, cert, status, ske, creq, done := msgs[0], msgs[1], msgs[2], msgs[3], msgs[4], msgs[5]
	full := func(m ...[]byte) []byte { return oneRecord(m...) }
	withSH := func(s shSpec) []byte { return full(s.msg(), cert, ske, done) }
	tls12 := tls12SH()
	t13 := tls13SH()
	ver := func(v uint16) shSpec { s := tls12; s.version = v; return s }
	suite := func(c uint16) shSpec { s := tls12; s.suite = c; return s }
	down := tls12
	copy(down.random[24:], "DOWNGRD\x01")
	badEcho := t13
	badEcho.sessionID = []byte{1}
	hrrShared := t13.with(extSV13, extension{extKeyShare, u16(GroupX25519)})
	hrrShared.random = helloRetryRandom
	hrrEmpty := t13.with(extSV13)
	hrrEmpty.random = helloRetryRandom
	comp := tls12
	comp.compression = 1
	manyCerts := make([][]byte, 1000)
	for i := range manyCerts {
		manyCerts[i] = []byte{0x30, byte(i)}
	}
	huge := []byte{typeCertificate, 0xFF, 0xFF, 0xFF} // claims 16 MiB

	tests := []struct {
		name    string
		hello   *ClientHello
		data    []byte
		lim     Limits
		want    string // substring of the error
		is      error  // errors.Is target, if any
		partial bool   // the flight is returned alongside the error
	}{
		{name: "empty answer", data: nil, want: "closed before the server answered", is: io.EOF},
		{name: "closed mid flight", data: full(sh, cert), want: "closed before the flight was complete", is: io.ErrUnexpectedEOF, partial: true},
		{name: "truncated record", data: full(sh, cert)[:30], want: "record body", is: io.ErrUnexpectedEOF},
		{name: "truncated header", data: []byte{22, 3, 3}, want: "record header", is: io.ErrUnexpectedEOF},
		{name: "HTTP", data: []byte("HTTP/1.1 400 Bad Request\r\n\r\n"), want: "not TLS: server answered with HTTP", is: ErrNotTLS},
		{name: "SSH", data: []byte("SSH-2.0-OpenSSH_9.6\r\n"), want: `not TLS: first bytes 53 53 48 2d 32 2e 30 2d ("SSH-2.0-")`, is: ErrNotTLS},
		{name: "binary", data: []byte{0, 1, 2, 3, 4, 5, 6, 7, 8}, want: "not TLS: first bytes 00 01 02 03 04 05 06 07", is: ErrNotTLS},
		{name: "short non-TLS", data: []byte("OK"), want: "not TLS", is: ErrNotTLS},
		{name: "SSLv2", data: []byte{0x80, 0x2e, 0x04, 0x00, 0x01, 0x00, 0x02}, want: "SSLv2", is: ErrSSLv2},
		{name: "alert", data: rec(recordAlert, []byte{2, 40}), want: "server_hello: server sent alert handshake_failure (40)"},
		{name: "alert after hello", data: cat(full(sh, cert), rec(recordAlert, []byte{2, 80})), want: "internal_error", partial: true},
		{name: "long alert", data: rec(recordAlert, []byte{2, 40, 0}), want: "alert record of 3 bytes"},
		// RFC 5246 §7.2: a warning is not fatal. OpenSSL and Apache send a
		// warning unrecognized_name before ServerHello when the SNI matches
		// no configured name, and go on; OTP, Go and OpenSSL clients ignore it.
		{name: "warning before server hello", data: cat(rec(recordAlert, []byte{1, 112}), full(msgs...))},
		{name: "warning mid flight", data: cat(full(sh, cert), rec(recordAlert, []byte{1, 112}), full(ske, done))},
		{name: "five warnings", data: cat(bytes.Repeat(rec(recordAlert, []byte{1, 112}), 5), full(msgs...))},
		{name: "six warnings", data: cat(bytes.Repeat(rec(recordAlert, []byte{1, 112}), 6), full(msgs...)), want: "server_hello: server sent warning alert unrecognized_name (112)"},
		{name: "warning then close", data: rec(recordAlert, []byte{1, 40}), want: "server_hello: server sent warning alert handshake_failure (40)"},
		{name: "warning close_notify", data: cat(rec(recordAlert, []byte{1, 0}), full(msgs...)), want: "server sent warning alert close_notify (0)"},
		{name: "warning before a TLS 1.3 server hello", hello: tls13Hello(), data: cat(rec(recordAlert, []byte{1, 112}), full(t13.with(extSV13, keyShareExt(GroupX25519, x25519Point)).msg()))},
		{name: "unknown record type", data: cat(full(sh), rec(99, []byte{1})), want: "unknown record type 99", partial: true},
		{name: "application data", data: cat(full(sh), rec(recordApplicationData, []byte{1})), want: "unexpected application_data", partial: true},
		{name: "heartbeat", data: cat(full(sh), rec(recordHeartbeat, []byte{1})), want: "unexpected heartbeat", partial: true},
		{name: "change_cipher_spec at TLS 1.2", data: cat(full(sh), rec(recordChangeCipherSpec, []byte{1})), want: "unexpected change_cipher_spec", partial: true},
		{name: "change_cipher_spec without TLS 1.3 offered", data: cat(rec(recordChangeCipherSpec, []byte{1}), full(sh)), want: "unexpected change_cipher_spec"},
		{name: "change_cipher_spec inside a message", hello: tls13Hello(),
			data: cat(rec(recordHandshake, t13.msg()[:10]), rec(recordChangeCipherSpec, []byte{1}), rec(recordHandshake, t13.msg()[10:])),
			want: "unexpected change_cipher_spec"},
		{name: "empty handshake record", data: cat(rec(recordHandshake, nil), full(sh)), want: "empty handshake record"},
		{name: "bad record version", data: []byte{22, 3, 3, 0, 1, 2, 22, 4, 1, 0, 1, 0}, want: "record: version 0x0401"},
		{name: "record over limit", data: rec(recordHandshake, make([]byte, 20000)), want: "record: length 20000 exceeds limit 18432"},
		{name: "record over custom limit", data: full(msgs...), lim: Limits{MaxRecord: 100}, want: "exceeds limit 100"},
		{name: "message over limit", data: cat(full(sh), rec(recordHandshake, huge)), want: "certificate: message length 16777215 exceeds limit 262144", partial: true},
		{name: "flight over limit", data: full(msgs...), lim: Limits{MaxFlight: 100}, want: "flight exceeds limit of 100 bytes"},
		{name: "too many records", data: recSplit(recordHandshake, cat(msgs...), 4), lim: Limits{MaxRecords: 10}, want: "more than 10 records"},
		{name: "first message not server hello", data: full(cert), want: "server_hello: got certificate"},
		{name: "truncated server hello", data: full(hs(typeServerHello, sh[4:20])), want: "truncated"},
		{name: "server hello trailing bytes", data: full(hs(typeServerHello, append(tls12.body(), 0))), want: "1 byte after the extensions"},
		{name: "server hello without extensions", data: full(shSpec{version: VersionTLS12, random: serverRandom, suite: 0xC02F, noExts: true}.msg(), cert, ske, done)},
		{name: "duplicate extension", data: withSH(tls12.with(extRI, extRI)), want: "duplicate extension renegotiation_info"},
		{name: "unknown version", data: withSH(ver(0x0305)), want: "unknown version 0x0305", partial: true},
		{name: "SSL 2 version", data: withSH(ver(0x0002)), want: "unknown version 0x0002", partial: true},
		{name: "version not offered", hello: &ClientHello{Version: VersionTLS11, CipherSuites: []uint16{0xC02F, 0x002F}}, data: withSH(tls12.with()),
			want: "server selected TLS 1.2, which the client did not offer", partial: true},
		{name: "version outside supported_versions", hello: tls13Hello(), data: withSH(ver(VersionTLS11)), want: "TLS 1.1, which the client did not offer", partial: true},
		{name: "TLS 1.3 in legacy_version", hello: tls13Hello(), data: full(shSpec{version: VersionTLS13, random: serverRandom, suite: 0x1301, sessionID: t13.sessionID}.msg()),
			want: "without supported_versions", partial: true},
		{name: "supported_versions selects TLS 1.2", hello: tls13Hello(), data: full(t13.with(extension{extSupportedVersions, u16(VersionTLS12)}).msg()),
			want: "supported_versions selects TLS 1.2", partial: true},
		{name: "supported_versions with odd legacy_version", hello: tls13Hello(), data: full(shSpec{version: VersionTLS10, random: serverRandom, suite: 0x1301, sessionID: t13.sessionID, exts: t13.exts}.msg()),
			want: "legacy_version TLS 1.0 with supported_versions", partial: true},
		{name: "suite not offered", data: withSH(suite(0x0005)), want: "server selected cipher suite TLS_RSA_WITH_RC4_128_SHA (0x0005), which the client did not offer", partial: true},
		{name: "unknown suite not offered", data: withSH(suite(0x0A0A)), want: "cipher suite 0x0A0A, which the client did not offer", partial: true},
		{name: "SCSV selected", data: withSH(suite(0x00FF)), want: "signaling value TLS_EMPTY_RENEGOTIATION_INFO_SCSV", partial: true},
		{name: "TLS 1.3 suite at TLS 1.2", hello: tls13Hello(), data: withSH(suite(0x1301).with(extRI)), want: "TLS 1.3 cipher suite", partial: true},
		{name: "TLS 1.2 suite at TLS 1.3", hello: tls13Hello(), data: full(shSpec{version: VersionTLS12, random: serverRandom, suite: 0xC02F, sessionID: t13.sessionID, exts: t13.exts}.msg()),
			want: "at TLS 1.3", partial: true},
		{name: "GCM at TLS 1.1", data: withSH(ver(VersionTLS11)), want: "before TLS 1.2", partial: true},
		{name: "export at TLS 1.1", data: withSH(shSpec{version: VersionTLS11, random: serverRandom, suite: 0x0003}), want: "export cipher suite", partial: true},
		{name: "downgrade sentinel", hello: tls13Hello(), data: withSH(down.with(extRI)), want: "downgrade sentinel", partial: true},
		{name: "session id echo", hello: tls13Hello(), data: full(badEcho.msg()), want: "legacy_session_id_echo", partial: true},
		{name: "compression", data: withSH(comp), want: "compression method 1", partial: true},
		{name: "unsolicited extension", data: withSH(tls12.with(extension{15, []byte{1}})), want: "extension heartbeat: not offered", partial: true},
		{name: "renegotiation_info with data", data: withSH(tls12.with(extension{extRenegotiationInfo, []byte{1, 9}})), want: "renegotiated_connection of 1 byte", partial: true},
		{name: "renegotiation_info solicited by SCSV only", hello: &ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0xC02F, 0x00FF}}, data: withSH(tls12.with(extRI))},
		{name: "renegotiation_info not solicited", hello: &ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0xC02F}}, data: withSH(tls12.with(extRI)), want: "not offered", partial: true},
		{name: "ALPN not offered", data: withSH(tls12.with(extension{extALPN, []byte{0, 4, 3, 'f', 'o', 'o'}})), want: `protocol "foo" was not offered`, partial: true},
		{name: "ALPN two protocols", data: withSH(tls12.with(extension{extALPN, []byte{0, 6, 2, 'h', '2', 2, 'h', '2'}})), want: "more than one protocol", partial: true},
		{name: "EMS with data", data: withSH(tls12.with(extension{extExtendedMasterSecret, []byte{0}})), want: "1 byte where the server's is empty", partial: true},
		{name: "signature_algorithms from server", data: withSH(tls12.with(extension{extSignatureAlgorithms, []byte{0, 2, 4, 1}})), want: "not allowed in a TLS 1.2 ServerHello", partial: true},
		{name: "key_share at TLS 1.2", hello: tls13Hello(), data: withSH(tls12.with(keyShareExt(GroupX25519, x25519Point))), want: "not allowed in a TLS 1.2", partial: true},
		{name: "ALPN in TLS 1.3 ServerHello", hello: tls13Hello(), data: full(t13.with(extSV13, keyShareExt(GroupX25519, x25519Point), extALPNh).msg()),
			want: "not allowed in a TLS 1.3 ServerHello", partial: true},
		{name: "TLS 1.3 without key_share", hello: tls13Hello(), data: full(t13.with(extSV13).msg()), want: "no key_share", partial: true},
		{name: "key_share for unsent group", hello: tls13Hello(), data: full(t13.with(extSV13, keyShareExt(GroupSecp256r1, append([]byte{4}, make([]byte, 64)...))).msg()),
			want: "no share for", partial: true},
		{name: "key_share wrong size", hello: tls13Hello(), data: full(t13.with(extSV13, keyShareExt(GroupX25519, x25519Point[:31])).msg()),
			want: "has 31 bytes, want 32", partial: true},
		{name: "hello retry for a shared group", hello: tls13Hello(), data: full(hrrShared.msg()), want: "already has a key share", partial: true},
		{name: "hello retry changing nothing", hello: tls13Hello(), data: full(hrrEmpty.msg()), want: "neither a key share nor a cookie", partial: true},
		{name: "hello retry at TLS 1.2", data: withSH(shSpec{version: VersionTLS12, random: helloRetryRandom, suite: 0xC02F}), want: "hello_retry_request at TLS 1.2", partial: true},
		{name: "data after TLS 1.3 server hello", hello: tls13Hello(), data: full(t13.msg(), hs(8, []byte{0, 0})), want: "6 bytes of handshake data after the ServerHello", partial: true},
		{name: "unknown message", data: full(sh, hs(99, nil)), want: "unexpected handshake message 0x63 after server_hello", partial: true},
		{name: "finished after hello", data: full(sh, hs(20, make([]byte, 12))), want: "unexpected finished", partial: true},
		{name: "key exchange before certificate", data: full(sh, ske, cert, done), want: "certificate after server_key_exchange", partial: true},
		{name: "two certificates", data: full(sh, cert, cert, ske, done), want: "certificate after certificate", partial: true},
		{name: "status without status_request", hello: &ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0xC02F}}, data: full(tls12.with().msg(), cert, status, ske, done),
			want: "certificate_status: sent without status_request", partial: true},
		{name: "status without certificate", data: full(sh, status, ske, done), want: "after server_hello, want after certificate", partial: true},
		{name: "empty certificate list", data: full(sh, hs(typeCertificate, certBody()), ske, done), want: "empty certificate_list", partial: true},
		{name: "zero-length certificate", data: full(sh, hs(typeCertificate, certBody(fakeLeaf, nil)), ske, done), want: "certificate: entry 1 is empty", partial: true},
		{name: "1000 certificates", data: recSplit(recordHandshake, cat(sh, hs(typeCertificate, certBody(manyCerts...)), ske, done), maxPlaintext), want: "more than 64 certificates", partial: true},
		{name: "certificate trailing bytes", data: full(sh, hs(typeCertificate, append(certBody(fakeLeaf), 0)), ske, done), want: "after certificate_list", partial: true},
		{name: "bad OCSP status type", data: full(sh, cert, hs(typeCertificateStatus, []byte{2, 0, 0, 1, 0}), ske, done), want: "status_type 2", partial: true},
		{name: "server hello done with body", data: full(sh, cert, ske, hs(typeServerHelloDone, []byte{0})), want: "server_hello_done: 1 byte", partial: true},
		{name: "data after server hello done", data: full(sh, cert, ske, done, hs(typeHelloRequest, nil)), want: "4 bytes of handshake data after it", partial: true},
		{name: "no certificate for ECDHE_RSA", data: full(sh, ske, done), want: "no certificate for TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", partial: true},
		{name: "no key exchange for ECDHE", data: full(sh, cert, done), want: "no server_key_exchange", partial: true},
		{name: "key exchange for RSA", data: full(withSuite(tls12, 0x002F), cert, ske, done), want: "server_key_exchange: not allowed with RSA key exchange", partial: true},
		{name: "key exchange group not offered", data: full(sh, cert, hs(typeServerKeyExchange, ecdheBody(GroupSecp521r1, append([]byte{4}, make([]byte, 132)...), SchemeRSAPSSRSAESHA256, []byte("s"))), done),
			want: "group secp521r1 was not offered", partial: true},
		{name: "key exchange signature not offered", data: full(sh, cert, hs(typeServerKeyExchange, ecdheBody(GroupX25519, x25519Point, SchemeRSAPKCS1SHA1, []byte("s"))), done),
			want: "signature algorithm rsa_pkcs1_sha1 was not offered", partial: true},
		{name: "explicit curve", data: full(sh, cert, hs(typeServerKeyExchange, []byte{1, 0, 0}), done), want: "curve_type 1", partial: true},
		{name: "compressed point", data: full(sh, cert, hs(typeServerKeyExchange, ecdheBody(GroupSecp256r1, append([]byte{2}, make([]byte, 32)...), SchemeRSAPSSRSAESHA256, []byte("s"))), done),
			want: "has 33 bytes, want 65", partial: true},
		{name: "key exchange trailing bytes", data: full(sh, cert, hs(typeServerKeyExchange, append(ecdheBody(GroupX25519, x25519Point, SchemeRSAPSSRSAESHA256, []byte("s")), 0)), done),
			want: "1 byte after the parameters", partial: true},
		{name: "key exchange without signature", data: full(sh, cert, hs(typeServerKeyExchange, ecdheBody(GroupX25519, x25519Point, 0, nil)), done),
			want: "signature algorithm: truncated", partial: true},
		{name: "certificate request from anonymous server", data: full(withSuite(tls12, 0xC018), hs(typeServerKeyExchange, ecdheBody(GroupX25519, x25519Point, 0, nil)), creq, done),
			want: "sent by an anonymous server", partial: true},
		{name: "certificate request empty CA name", data: full(sh, cert, ske, hs(typeCertificateRequest, certReqBody([]byte{1}, []uint16{0x0401}, nil)), done),
			want: "certificate_authorities entry 0", partial: true},
		{name: "certificate request odd algorithms", data: full(sh, cert, ske, hs(typeCertificateRequest, []byte{1, 1, 0, 1, 4, 0, 0}), done),
			want: "supported_signature_algorithms", partial: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.hello
			if h == nil {
				h = tls12Hello()
			}
			fl, err := ReadServerFlight(bytes.NewReader(tt.data), h, tt.lim)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ReadServerFlight() error = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ReadServerFlight() = %+v, nil, want error containing %q", fl, tt.want)
			}
			t.Log(err)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadServerFlight() error = %q, want it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "read server flight: ") {
				t.Errorf("ReadServerFlight() error = %q, want prefix %q", err, "read server flight: ")
			}
			var fe *FlightError
			if !errors.As(err, &fe) {
				t.Errorf("ReadServerFlight() error = %T, want *FlightError", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%q, %v) = false, want true", err, tt.is)
			}
			if (fl != nil) != tt.partial {
				t.Errorf("ReadServerFlight() flight = %+v, want non-nil %v", fl, tt.partial)
			}
		})
	}
}

// withSuite returns s selecting suite c.
func withSuite(s shSpec, c uint16) []byte {
	s.suite = c
	return s.msg()
}

func TestReadServerFlightAlert(t *testing.T) {
	_, err := ReadServerFlight(bytes.NewReader(rec(recordAlert, []byte{2, 70})), tls12Hello(), Limits{})
	var ae *AlertError
	if !errors.As(err, &ae) {
		t.Fatalf("ReadServerFlight() error = %v, want *AlertError", err)
	}
	if ae.Level != 2 || ae.Description != AlertProtocolVersion {
		t.Errorf("ReadServerFlight() alert = %+v, want fatal protocol_version", ae)
	}
}

func TestReadServerFlightPartial(t *testing.T) {
	msgs := tls12Messages()
	data := oneRecord(msgs[0], msgs[1], hs(typeServerKeyExchange, []byte{3, 0}))
	fl, err := ReadServerFlight(bytes.NewReader(data), tls12Hello(), Limits{})
	if err == nil {
		t.Fatalf("ReadServerFlight() error = nil, want a server_key_exchange error")
	}
	if fl == nil || fl.Version != VersionTLS12 || fl.CipherSuite != 0xC02F || len(fl.Certificates) != 2 || fl.Complete {
		t.Errorf("ReadServerFlight() partial flight = %+v, want TLS 1.2, 0xC02F, 2 certificates, not complete", fl)
	}
	if fl != nil && (fl.KeyExchange == nil || fl.KeyExchange.Kind != "ECDHE") {
		t.Errorf("ReadServerFlight() partial KeyExchange = %+v, want Kind ECDHE", fl.KeyExchange)
	}
}

func TestReadServerFlightNilHello(t *testing.T) {
	if _, err := ReadServerFlight(bytes.NewReader(nil), nil, Limits{}); err == nil {
		t.Errorf("ReadServerFlight(nil hello) error = nil, want error")
	}
}

func TestLimitsDefaults(t *testing.T) {
	got := Limits{MaxRecord: 5, MaxCertificates: -1}.withDefaults()
	want := DefaultLimits()
	want.MaxRecord = 5
	if got != want {
		t.Errorf("Limits.withDefaults() = %+v, want %+v", got, want)
	}
	if d := DefaultLimits(); d.MaxRecord != 16384+2048 || d.MaxMessage != 256<<10 || d.MaxFlight != 1<<20 || d.MaxCertificates != 64 {
		t.Errorf("DefaultLimits() = %+v, want 18432, 256 KiB, 1 MiB, 64", d)
	}
}
