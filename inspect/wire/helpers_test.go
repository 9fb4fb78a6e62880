package wire

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// This file holds test-side encoders and decoders: a ClientHello parser to
// check Marshal, builders for crafted server flights, and a small PKI.

// parsedHello is a ClientHello decoded by the test's own parser.
type parsedHello struct {
	recordVersion uint16
	records       int
	version       uint16
	random        []byte
	sessionID     []byte
	suites        []uint16
	compression   []byte
	extTypes      []uint16
	ext           map[uint16][]byte

	serverName        string
	groups            []uint16
	pointFormats      []byte
	sigAlgs           []uint16
	alpn              []string
	supportedVersions []uint16
	keyShares         map[uint16][]byte
	keyShareOrder     []uint16
	pskModes          []byte
}

// readHelloRecords reads handshake records from r until one complete
// handshake message is buffered, returning the message and record info.
func readHelloRecords(r io.Reader) (msg []byte, recVersion uint16, records int, err error) {
	var buf []byte
	for {
		if len(buf) >= 4 {
			n := int(buf[1])<<16 | int(buf[2])<<8 | int(buf[3])
			if len(buf) >= 4+n {
				if len(buf) != 4+n {
					return nil, 0, 0, fmt.Errorf("%d bytes after the client hello", len(buf)-4-n)
				}
				return buf, recVersion, records, nil
			}
		}
		var hdr [5]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, 0, 0, err
		}
		if hdr[0] != recordHandshake {
			return nil, 0, 0, fmt.Errorf("record type %d", hdr[0])
		}
		v := uint16(hdr[1])<<8 | uint16(hdr[2])
		if records > 0 && v != recVersion {
			return nil, 0, 0, fmt.Errorf("record version changed to %04x", v)
		}
		recVersion = v
		frag := make([]byte, int(hdr[3])<<8|int(hdr[4]))
		if len(frag) > maxPlaintext {
			return nil, 0, 0, fmt.Errorf("record of %d bytes", len(frag))
		}
		if _, err := io.ReadFull(r, frag); err != nil {
			return nil, 0, 0, err
		}
		records++
		buf = append(buf, frag...)
	}
}

// parseClientHello decodes the records Marshal produced.
func parseClientHello(recs []byte) (*parsedHello, error) {
	msg, rv, n, err := readHelloRecords(bytes.NewReader(recs))
	if err != nil {
		return nil, err
	}
	p, err := parseClientHelloMsg(msg)
	if err != nil {
		return nil, err
	}
	p.recordVersion, p.records = rv, n
	return p, nil
}

// parseClientHelloMsg decodes one ClientHello handshake message.
func parseClientHelloMsg(msg []byte) (*parsedHello, error) {
	s := cryptobyte.String(msg)
	var typ uint8
	var body cryptobyte.String
	if !s.ReadUint8(&typ) || typ != typeClientHello || !s.ReadUint24LengthPrefixed(&body) || !s.Empty() {
		return nil, errors.New("not a client hello message")
	}
	p := &parsedHello{ext: map[uint16][]byte{}, keyShares: map[uint16][]byte{}}
	var sid, suites, comp, exts cryptobyte.String
	if !body.ReadUint16(&p.version) || !body.ReadBytes(&p.random, 32) ||
		!body.ReadUint8LengthPrefixed(&sid) || !body.ReadUint16LengthPrefixed(&suites) ||
		!body.ReadUint8LengthPrefixed(&comp) {
		return nil, errors.New("truncated client hello")
	}
	p.sessionID, p.compression = sid, comp
	for !suites.Empty() {
		var c uint16
		if !suites.ReadUint16(&c) {
			return nil, errors.New("odd cipher suites")
		}
		p.suites = append(p.suites, c)
	}
	if body.Empty() {
		return p, nil
	}
	if !body.ReadUint16LengthPrefixed(&exts) || !body.Empty() {
		return nil, errors.New("bad extensions block")
	}
	for !exts.Empty() {
		var t uint16
		var d cryptobyte.String
		if !exts.ReadUint16(&t) || !exts.ReadUint16LengthPrefixed(&d) {
			return nil, errors.New("bad extension")
		}
		if _, dup := p.ext[t]; dup {
			return nil, fmt.Errorf("duplicate extension %d", t)
		}
		p.extTypes = append(p.extTypes, t)
		p.ext[t] = d
		if err := p.decodeExt(t, d); err != nil {
			return nil, fmt.Errorf("extension %s: %w", ExtensionName(t), err)
		}
	}
	return p, nil
}

func (p *parsedHello) decodeExt(t uint16, d cryptobyte.String) error {
	u16s := func(s cryptobyte.String) ([]uint16, bool) {
		var out []uint16
		for !s.Empty() {
			var v uint16
			if !s.ReadUint16(&v) {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	}
	ok := true
	switch t {
	case extServerName:
		var list, name cryptobyte.String
		var nt uint8
		ok = d.ReadUint16LengthPrefixed(&list) && d.Empty() && list.ReadUint8(&nt) && nt == 0 &&
			list.ReadUint16LengthPrefixed(&name) && list.Empty()
		p.serverName = string(name)
	case extSupportedGroups:
		var list cryptobyte.String
		ok = d.ReadUint16LengthPrefixed(&list) && d.Empty()
		if ok {
			p.groups, ok = u16s(list)
		}
	case extECPointFormats:
		var list cryptobyte.String
		ok = d.ReadUint8LengthPrefixed(&list) && d.Empty()
		p.pointFormats = list
	case extSignatureAlgorithms:
		var list cryptobyte.String
		ok = d.ReadUint16LengthPrefixed(&list) && d.Empty()
		if ok {
			p.sigAlgs, ok = u16s(list)
		}
	case extALPN:
		var list cryptobyte.String
		ok = d.ReadUint16LengthPrefixed(&list) && d.Empty()
		for ok && !list.Empty() {
			var proto cryptobyte.String
			ok = list.ReadUint8LengthPrefixed(&proto)
			p.alpn = append(p.alpn, string(proto))
		}
	case extSupportedVersions:
		var list cryptobyte.String
		ok = d.ReadUint8LengthPrefixed(&list) && d.Empty()
		if ok {
			p.supportedVersions, ok = u16s(list)
		}
	case extKeyShare:
		var list cryptobyte.String
		ok = d.ReadUint16LengthPrefixed(&list) && d.Empty()
		for ok && !list.Empty() {
			var g uint16
			var ke cryptobyte.String
			ok = list.ReadUint16(&g) && list.ReadUint16LengthPrefixed(&ke)
			p.keyShares[g] = ke
			p.keyShareOrder = append(p.keyShareOrder, g)
		}
	case extPSKModes:
		var list cryptobyte.String
		ok = d.ReadUint8LengthPrefixed(&list) && d.Empty()
		p.pskModes = list
	case extRenegotiationInfo:
		ok = len(d) == 1 && d[0] == 0
	case extStatusRequest:
		ok = bytes.Equal(d, []byte{1, 0, 0, 0, 0})
	case extExtendedMasterSecret, extSessionTicket, extSCT:
		ok = d.Empty()
	}
	if !ok {
		return errTruncated
	}
	return nil
}

// Builders for crafted server flights.

// rec wraps payload in one record of type typ.
func rec(typ uint8, payload []byte) []byte {
	return append([]byte{typ, 3, 3, byte(len(payload) >> 8), byte(len(payload))}, payload...)
}

// recSplit wraps payload in records of at most size bytes.
func recSplit(typ uint8, payload []byte, size int) []byte {
	var out []byte
	for len(payload) > 0 {
		n := min(size, len(payload))
		out = append(out, rec(typ, payload[:n])...)
		payload = payload[n:]
	}
	return out
}

// hs frames a handshake message.
func hs(typ uint8, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

// cat concatenates byte slices.
func cat(parts ...[]byte) []byte {
	return bytes.Join(parts, nil)
}

// shSpec describes a crafted ServerHello.
type shSpec struct {
	version     uint16
	random      [32]byte
	sessionID   []byte
	suite       uint16
	compression uint8
	exts        []extension
	noExts      bool
}

// body encodes the ServerHello body.
func (s shSpec) body() []byte {
	var b cryptobyte.Builder
	b.AddUint16(s.version)
	b.AddBytes(s.random[:])
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.sessionID) })
	b.AddUint16(s.suite)
	b.AddUint8(s.compression)
	if !s.noExts {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, e := range s.exts {
				b.AddUint16(e.typ)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.data) })
			}
		})
	}
	return b.BytesOrPanic()
}

// msg encodes the ServerHello handshake message.
func (s shSpec) msg() []byte { return hs(typeServerHello, s.body()) }

// with returns a copy of s with its extensions replaced.
func (s shSpec) with(exts ...extension) shSpec {
	s.exts = exts
	return s
}

// serverRandom is a fixed, sentinel-free server random.
var serverRandom = [32]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}

func u16(v uint16) []byte { return []byte{byte(v >> 8), byte(v)} }

// Extension bodies a server sends.
var (
	extRI    = extension{extRenegotiationInfo, []byte{0}}
	extEMS   = extension{extExtendedMasterSecret, nil}
	extPF    = extension{extECPointFormats, []byte{1, 0}}
	extSR    = extension{extStatusRequest, nil}
	extALPNh = extension{extALPN, []byte{0, 3, 2, 'h', '2'}}
	extSV13  = extension{extSupportedVersions, u16(VersionTLS13)}
)

// keyShareExt is a ServerHello key_share entry.
func keyShareExt(group uint16, share []byte) extension {
	return extension{extKeyShare, cat(u16(group), u16(uint16(len(share))), share)}
}

// certBody encodes a TLS 1.2 Certificate body.
func certBody(certs ...[]byte) []byte {
	var b cryptobyte.Builder
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, c := range certs {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c) })
		}
	})
	return b.BytesOrPanic()
}

// ecdheBody encodes an ECDHE ServerKeyExchange body; sigAlg 0 omits the
// algorithm (TLS 1.1 and earlier), sig nil omits the signature (anonymous).
func ecdheBody(group uint16, point []byte, sigAlg uint16, sig []byte) []byte {
	b := cat([]byte{3}, u16(group), []byte{byte(len(point))}, point)
	if sigAlg != 0 {
		b = append(b, u16(sigAlg)...)
	}
	if sig != nil {
		b = cat(b, u16(uint16(len(sig))), sig)
	}
	return b
}

// dheBody encodes a DHE ServerKeyExchange body.
func dheBody(p, g, y []byte, sigAlg uint16, sig []byte) []byte {
	b := cat(u16(uint16(len(p))), p, u16(uint16(len(g))), g, u16(uint16(len(y))), y)
	if sigAlg != 0 {
		b = append(b, u16(sigAlg)...)
	}
	if sig != nil {
		b = cat(b, u16(uint16(len(sig))), sig)
	}
	return b
}

// certReqBody encodes a TLS 1.2 CertificateRequest body.
func certReqBody(types []byte, algs []uint16, cas ...[]byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(types) })
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, a := range algs {
			b.AddUint16(a)
		}
	})
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, c := range cas {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c) })
		}
	})
	return b.BytesOrPanic()
}

// ocspBody encodes a CertificateStatus body.
func ocspBody(resp []byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8(1)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(resp) })
	return b.BytesOrPanic()
}

// x25519Point is a syntactically valid X25519 public value.
var x25519Point = bytes.Repeat([]byte{9}, 32)

// Fake certificates: the reader keeps certificates as opaque bytes.
var (
	fakeLeaf  = []byte("leaf certificate DER")
	fakeInter = []byte("intermediate certificate DER")
)

// tls12Hello is a TLS 1.2 hello offering a mix of suites, as a scanner would.
func tls12Hello() *ClientHello {
	return &ClientHello{
		Version: VersionTLS12,
		CipherSuites: []uint16{
			0xC02F, 0xC02B, 0xC030, 0x009F, 0xC028, 0x002F, 0x000A, 0xC018, 0x0003, 0x008C, 0x00FF,
		},
		ServerName:           "example.com",
		Groups:               []uint16{GroupX25519, GroupSecp256r1, GroupSecp384r1},
		PointFormats:         []uint8{0},
		SignatureAlgorithms:  []uint16{SchemeRSAPSSRSAESHA256, SchemeECDSAP256SHA256, SchemeRSAPKCS1SHA256},
		RenegotiationInfo:    true,
		ExtendedMasterSecret: true,
		SessionTicket:        true,
		StatusRequest:        true,
		SCTs:                 true,
		ALPN:                 []string{"h2", "http/1.1"},
		Random:               [32]byte{0xC1, 0xC2},
	}
}

// tls13Hello offers TLS 1.3 and 1.2 with fixed random and session id, so
// flights built for it stay valid across processes (fuzz workers).
func tls13Hello() *ClientHello {
	return &ClientHello{
		SupportedVersions:   []uint16{VersionTLS13, VersionTLS12},
		CipherSuites:        []uint16{0x1301, 0x1302, 0x1303, 0xC02F, 0xC02B},
		ServerName:          "example.com",
		Groups:              []uint16{GroupX25519, GroupSecp256r1, GroupSecp384r1},
		PointFormats:        []uint8{0},
		SignatureAlgorithms: []uint16{SchemeRSAPSSRSAESHA256, SchemeECDSAP256SHA256, SchemeRSAPKCS1SHA256},
		KeyShareGroups:      []uint16{GroupX25519},
		PSKModes:            true,
		RenegotiationInfo:   true,
		ALPN:                []string{"h2"},
		Random:              [32]byte{0x13, 0x13},
		SessionID:           bytes.Repeat([]byte{0x5E}, 32),
	}
}

// tls12SH is a valid ServerHello for tls12Hello choosing ECDHE-RSA-AES128-GCM.
func tls12SH() shSpec {
	return shSpec{
		version: VersionTLS12, random: serverRandom, sessionID: []byte{7, 7, 7},
		suite: 0xC02F, exts: []extension{extRI, extEMS, extPF, extSR, extALPNh},
	}
}

// tls13SH is a valid ServerHello for tls13Hello.
func tls13SH() shSpec {
	return shSpec{
		version: VersionTLS12, random: serverRandom, sessionID: tls13Hello().SessionID,
		suite: 0x1301, exts: []extension{extSV13, keyShareExt(GroupX25519, x25519Point)},
	}
}

// tls12Messages are the messages of a complete TLS 1.2 flight for tls12Hello.
func tls12Messages() [][]byte {
	return [][]byte{
		tls12SH().msg(),
		hs(typeCertificate, certBody(fakeLeaf, fakeInter)),
		hs(typeCertificateStatus, ocspBody([]byte("ocsp response"))),
		hs(typeServerKeyExchange, ecdheBody(GroupX25519, x25519Point, SchemeRSAPSSRSAESHA256, []byte("sig"))),
		hs(typeCertificateRequest, certReqBody([]byte{1, 64}, []uint16{SchemeRSAPSSRSAESHA256}, []byte("CA one"), []byte("CA two"))),
		hs(typeServerHelloDone, nil),
	}
}

// testPKI is a root, two client-auth CAs, an intermediate, and ECDSA and
// RSA leaves for 127.0.0.1 and localhost.
type testPKI struct {
	root, inter, clientCA1, clientCA2 *x509.Certificate
	ecLeaf, rsaLeaf                   *x509.Certificate
	ecKey                             *ecdsa.PrivateKey
	rsaKey                            *rsa.PrivateKey
}

var (
	pkiOnce sync.Once
	pki     *testPKI
	pkiErr  error
)

// getPKI builds the test PKI once per process.
func getPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki, pkiErr = newPKI() })
	if pkiErr != nil {
		t.Fatalf("build test PKI: %v", pkiErr)
	}
	return pki
}

func newPKI() (*testPKI, error) {
	serial := int64(0)
	issue := func(tmpl *x509.Certificate, pub any, parent *x509.Certificate, key any) (*x509.Certificate, error) {
		serial++
		tmpl.SerialNumber = big.NewInt(serial)
		tmpl.NotBefore = time.Now().Add(-time.Hour)
		tmpl.NotAfter = time.Now().Add(24 * time.Hour)
		if parent == nil {
			parent = tmpl
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
		if err != nil {
			return nil, err
		}
		return x509.ParseCertificate(der)
	}
	ca := func(cn string) *x509.Certificate {
		return &x509.Certificate{
			Subject: pkix.Name{CommonName: cn, Organization: []string{"chainscope test"}},
			IsCA:    true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
	}
	leaf := func(cn string) *x509.Certificate {
		return &x509.Certificate{
			Subject:     pkix.Name{CommonName: cn},
			DNSNames:    []string{"localhost"},
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
	}
	p := &testPKI{}
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	interKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	if p.ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	if p.rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	if p.root, err = issue(ca("Test Root"), &rootKey.PublicKey, nil, rootKey); err != nil {
		return nil, err
	}
	if p.inter, err = issue(ca("Test Intermediate"), &interKey.PublicKey, p.root, rootKey); err != nil {
		return nil, err
	}
	if p.clientCA1, err = issue(ca("Client CA One"), &rootKey.PublicKey, nil, rootKey); err != nil {
		return nil, err
	}
	if p.clientCA2, err = issue(ca("Client CA Two"), &rootKey.PublicKey, nil, rootKey); err != nil {
		return nil, err
	}
	if p.ecLeaf, err = issue(leaf("ec.test"), &p.ecKey.PublicKey, p.inter, interKey); err != nil {
		return nil, err
	}
	if p.rsaLeaf, err = issue(leaf("rsa.test"), &p.rsaKey.PublicKey, p.inter, interKey); err != nil {
		return nil, err
	}
	return p, nil
}
