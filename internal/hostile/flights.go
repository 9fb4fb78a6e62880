package hostile

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// This file holds scripted TLS 1.2 servers whose flights are built by
// hand, for what no TLS library serves: a DH group OpenSSL refuses to set
// (under 1024 bits, even at security level 0), a fatal alert right after
// the ServerKeyExchange, a ServerKeyExchange signed by a key that is not
// the certificate's. Except where the key is the point, they sign with the
// real certificate's key, so a client judges the flight, not a fixture's
// mistake. Each stands for a server configuration seen in the field;
// sender-model.md section 3 says how the sender judges it.

// Protocol numbers the scripted flights need (RFC 5246 §7.4, §A.5; RFC 5288).
const (
	typeServerKeyExchange  = 12
	typeClientKeyExchange  = 16
	typeFinished           = 20
	recordApplicationData  = 23
	alertLevelFatal        = 2
	suiteDHERSAAES128GCM   = 0x009E // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
	schemeRSAPKCS1SHA256   = 0x0401
	alertHandshakeFailure  = 40
	maxClientFlightRecords = 16
)

// DHE returns a server that completes a TLS 1.2 handshake with
// TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 over the finite-field group (p, 2),
// whatever its size, then answers one HTTP request with "204 No Content".
// chain is the Certificate message's DER list, leaf first; key is the
// leaf's RSA key, which signs the ServerKeyExchange with
// rsa_pkcs1_sha256. A hello that does not offer TLS 1.2, that suite and
// that scheme gets a handshake_failure alert.
func DHE(name string, chain [][]byte, key *rsa.PrivateKey, p *big.Int) Scenario {
	return Scenario{
		Name:        name,
		Description: fmt.Sprintf("TLS 1.2 DHE_RSA with a %d-bit DH group, a handshake completed by hand", p.BitLen()),
		Serve: func(c net.Conn, hello []byte) {
			serveDHE(c, hello, chain, key, p)
		},
	}
}

// AlertAfterKeyExchange returns a server that answers a TLS 1.2 hello
// offering an ECDHE_RSA suite with ServerHello, Certificate and a signed
// P-256 ServerKeyExchange, then the fatal alert given instead of
// ServerHelloDone — what a server does when it fails to build its
// CertificateRequest (an oversized CA list). With tls13, a hello offering
// TLS 1.3 gets a TLS 1.3 ServerHello, as from a server that enables it
// too, and nothing after it.
func AlertAfterKeyExchange(name string, chain [][]byte, key *rsa.PrivateKey, alert uint8, tls13 bool) Scenario {
	return Scenario{
		Name:        name,
		Description: fmt.Sprintf("TLS 1.2: ServerHello, Certificate, ServerKeyExchange, then a fatal alert %d", alert),
		Serve: func(c net.Conn, hello []byte) {
			serveECDHE(c, hello, chain, key, tls13, record(recordAlert, versionTLS12, []byte{alertLevelFatal, alert}))
		},
	}
}

// ForeignKeyExchange returns a server whose certificate and private key do
// not belong together: it answers a TLS 1.2 hello offering an ECDHE_RSA
// suite with ServerHello, Certificate (chain, leaf first), a P-256
// ServerKeyExchange signed with signer — a key other than the leaf's — and
// ServerHelloDone, then waits for the client's alert. A client that
// verifies the signature aborts with decrypt_error (RFC 5246 §7.4.3); one
// that does not goes on, and finds the connection closed.
func ForeignKeyExchange(name string, chain [][]byte, signer *rsa.PrivateKey) Scenario {
	return Scenario{
		Name:        name,
		Description: "TLS 1.2 ECDHE_RSA: a ServerKeyExchange signed by a key other than the certificate's",
		Serve: func(c net.Conn, hello []byte) {
			serveECDHE(c, hello, chain, signer, false, record(recordHandshake, versionTLS12, handshake(typeServerHelloDone, nil)))
		},
	}
}

// serveECDHE answers a TLS 1.2 hello offering an ECDHE_RSA suite,
// rsa_pkcs1_sha256 and P-256 with ServerHello, Certificate and a P-256
// ServerKeyExchange signed with key, then the records of after, then waits
// for the client to go. Any other hello gets a handshake_failure alert;
// with tls13, a hello offering TLS 1.3 gets a TLS 1.3 ServerHello alone.
func serveECDHE(c net.Conn, hello []byte, chain [][]byte, key *rsa.PrivateKey, tls13 bool, after []byte) {
	ch, err := parseClientHello(hello)
	if err != nil {
		return
	}
	if tls13 && ch.offers13() {
		// A server that speaks TLS 1.3 picks it whenever offered
		// (RFC 8446 §4.2.1); what follows is not this fixture's.
		_, rv, sh := ch.answer13(0)
		if write(c, record(recordHandshake, rv, sh)) == nil {
			waitGone(c, lingerTimeout)
		}
		return
	}
	if ch.legacyVersion() < versionTLS12 {
		_ = write(c, record(recordAlert, versionTLS12, []byte{alertLevelFatal, alertHandshakeFailure}))
		return
	}
	suite := firstOffered(ch.suites, 0xC02F, 0xC030, 0xC027, 0xC028, 0xC013, 0xC014)
	if suite == 0 || !slices.Contains(ch.sigAlgs, schemeRSAPKCS1SHA256) || !slices.Contains(ch.groups, groupSecp256r1) {
		_ = write(c, record(recordAlert, versionTLS12, []byte{alertLevelFatal, alertHandshakeFailure}))
		return
	}
	sr := randomBytes(32)
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return
	}
	var params cryptobyte.Builder
	params.AddUint8(3) // named_curve (RFC 8422 §5.4)
	params.AddUint16(groupSecp256r1)
	params.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(priv.PublicKey().Bytes()) })
	ske, err := signedKeyExchange(params.BytesOrPanic(), ch.random, sr, key)
	if err != nil {
		return
	}
	flight := slices.Concat(
		serverHello(versionTLS12, sr, randomBytes(32), suite, nil),
		handshake(typeCertificate, certificateBody(chain...)),
		handshake(typeServerKeyExchange, ske))
	if write(c, slices.Concat(record(recordHandshake, versionTLS12, flight), after)) != nil {
		return
	}
	waitGone(c, lingerTimeout)
}

// firstOffered returns the first of want that suites holds, or 0.
func firstOffered(suites []uint16, want ...uint16) uint16 {
	for _, s := range suites {
		if slices.Contains(want, s) {
			return s
		}
	}
	return 0
}

// signedKeyExchange returns a ServerKeyExchange body: params, then
// rsa_pkcs1_sha256 and the signature over both randoms and params
// (RFC 5246 §7.4.3).
func signedKeyExchange(params, clientRandom, serverRandom []byte, key *rsa.PrivateKey) ([]byte, error) {
	h := sha256.New()
	h.Write(clientRandom)
	h.Write(serverRandom)
	h.Write(params)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h.Sum(nil))
	if err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddBytes(params)
	b.AddUint16(schemeRSAPKCS1SHA256)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sig) })
	return b.Bytes()
}

func serveDHE(c net.Conn, hello []byte, chain [][]byte, key *rsa.PrivateKey, p *big.Int) {
	ch, err := parseClientHello(hello)
	if err != nil {
		return
	}
	if ch.legacyVersion() < versionTLS12 || !slices.Contains(ch.suites, suiteDHERSAAES128GCM) || !slices.Contains(ch.sigAlgs, schemeRSAPKCS1SHA256) {
		_ = write(c, record(recordAlert, versionTLS12, []byte{alertLevelFatal, alertHandshakeFailure}))
		return
	}
	g := big.NewInt(2)
	x, err := rand.Int(rand.Reader, new(big.Int).Sub(p, big.NewInt(3)))
	if err != nil {
		return
	}
	x.Add(x, big.NewInt(2))
	y := new(big.Int).Exp(g, x, p)
	var params cryptobyte.Builder
	for _, v := range []*big.Int{p, g, y} {
		params.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v.Bytes()) })
	}
	sr := randomBytes(32)
	ske, err := signedKeyExchange(params.BytesOrPanic(), ch.random, sr, key)
	if err != nil {
		return
	}
	msgs := [][]byte{
		hello,
		serverHello(versionTLS12, sr, randomBytes(32), suiteDHERSAAES128GCM, nil),
		handshake(typeCertificate, certificateBody(chain...)),
		handshake(typeServerKeyExchange, ske),
		handshake(typeServerHelloDone, nil),
	}
	if write(c, record(recordHandshake, versionTLS12, slices.Concat(msgs[1:]...))) != nil {
		return
	}
	// The client's flight: ClientKeyExchange, ChangeCipherSpec, Finished.
	cr := newRecordConn(c)
	cke, err := cr.handshakeMessage(typeClientKeyExchange)
	if err != nil {
		return
	}
	msgs = append(msgs, cke)
	s := cryptobyte.String(cke[4:])
	var yc cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&yc) || !s.Empty() {
		return
	}
	z := new(big.Int).Exp(new(big.Int).SetBytes(yc), x, p).Bytes() // leading zeros stripped (RFC 5246 §8.1.2)
	master := prf(z, "master secret", slices.Concat(ch.random, sr), 48)
	kb := prf(master, "key expansion", slices.Concat(sr, ch.random), 40)
	client, err := newGCM(kb[0:16], kb[32:36])
	if err != nil {
		return
	}
	server, err := newGCM(kb[16:32], kb[36:40])
	if err != nil {
		return
	}
	if err := cr.changeCipherSpec(); err != nil {
		return
	}
	fin, err := cr.encrypted(client, recordHandshake)
	if err != nil || len(fin) != 16 || fin[0] != typeFinished {
		return
	}
	want := prf(master, "client finished", transcript(msgs), 12)
	if !hmac.Equal(fin[4:], want) {
		return
	}
	msgs = append(msgs, fin)
	ours := handshake(typeFinished, prf(master, "server finished", transcript(msgs), 12))
	if write(c, slices.Concat(record(recordChangeCipherSpec, versionTLS12, []byte{1}), server.seal(recordHandshake, ours))) != nil {
		return
	}
	// One request, one answer.
	if req, err := cr.encrypted(client, recordApplicationData); err == nil && bytes.Contains(req, []byte(" HTTP/1.")) {
		_ = write(c, server.seal(recordApplicationData, []byte("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")))
	}
	waitGone(c, time.Second)
}

// transcript hashes the handshake messages so far (RFC 5246 §7.4.9).
func transcript(msgs [][]byte) []byte {
	h := sha256.New()
	for _, m := range msgs {
		h.Write(m)
	}
	return h.Sum(nil)
}

// prf is the TLS 1.2 PRF with SHA-256 (RFC 5246 §5).
func prf(secret []byte, label string, seed []byte, n int) []byte {
	seed = append([]byte(label), seed...)
	var out []byte
	a := seed
	for len(out) < n {
		m := hmac.New(sha256.New, secret)
		m.Write(a)
		a = m.Sum(nil)
		m = hmac.New(sha256.New, secret)
		m.Write(a)
		m.Write(seed)
		out = m.Sum(out)
	}
	return out[:n]
}

// gcmState is one direction of an AES-GCM record protection (RFC 5288 §3).
type gcmState struct {
	aead cipher.AEAD
	salt []byte
	seq  uint64
}

func newGCM(key, salt []byte) (*gcmState, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &gcmState{aead: aead, salt: salt}, nil
}

// additional is the additional data of a record (RFC 5246 §6.2.3.3).
func (g *gcmState) additional(typ uint8, n int) []byte {
	ad := make([]byte, 13)
	for i := range 8 {
		ad[i] = byte(g.seq >> (56 - 8*i))
	}
	ad[8], ad[9], ad[10], ad[11], ad[12] = typ, 3, 3, byte(n>>8), byte(n)
	return ad
}

// seal returns plaintext as one protected record, its explicit nonce the
// sequence number.
func (g *gcmState) seal(typ uint8, plaintext []byte) []byte {
	explicit := g.additional(0, 0)[:8]
	nonce := slices.Concat(g.salt, explicit)
	out := g.aead.Seal(slices.Clone(explicit), nonce, plaintext, g.additional(typ, len(plaintext)))
	g.seq++
	return record(typ, versionTLS12, out)
}

// open returns the plaintext of a protected record's payload.
func (g *gcmState) open(typ uint8, payload []byte) ([]byte, error) {
	if len(payload) < 8+16 {
		return nil, errors.New("short protected record")
	}
	nonce := slices.Concat(g.salt, payload[:8])
	n := len(payload) - 8 - 16
	out, err := g.aead.Open(nil, nonce, payload[8:], g.additional(typ, n))
	g.seq++
	return out, err
}

// recordConn reads the client's records after its ClientHello.
type recordConn struct {
	c     net.Conn
	hs    []byte
	count int
}

func newRecordConn(c net.Conn) *recordConn { return &recordConn{c: c} }

// next returns the next record's type and payload, within helloTimeout.
func (r *recordConn) next() (uint8, []byte, error) {
	if r.count >= maxClientFlightRecords {
		return 0, nil, errors.New("too many records")
	}
	r.count++
	if err := r.c.SetReadDeadline(time.Now().Add(helloTimeout)); err != nil {
		return 0, nil, err
	}
	var hdr [5]byte
	if _, err := io.ReadFull(r.c, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := int(hdr[3])<<8 | int(hdr[4])
	if n > maxRecordPlaintext+2048 {
		return 0, nil, fmt.Errorf("record of %d bytes", n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r.c, payload); err != nil {
		return 0, nil, err
	}
	if hdr[0] == recordAlert {
		return 0, nil, fmt.Errorf("client sent alert % x", payload)
	}
	return hdr[0], payload, nil
}

// handshakeMessage returns the next clear-text handshake message, header
// included, which must be of type want.
func (r *recordConn) handshakeMessage(want uint8) ([]byte, error) {
	for {
		if len(r.hs) >= 4 {
			n := int(r.hs[1])<<16 | int(r.hs[2])<<8 | int(r.hs[3])
			if len(r.hs) >= 4+n {
				msg := r.hs[:4+n]
				r.hs = r.hs[4+n:]
				if msg[0] != want {
					return nil, fmt.Errorf("handshake message %d, want %d", msg[0], want)
				}
				return msg, nil
			}
		}
		typ, payload, err := r.next()
		if err != nil {
			return nil, err
		}
		if typ != recordHandshake {
			return nil, fmt.Errorf("record type %d, want handshake", typ)
		}
		r.hs = append(r.hs, payload...)
	}
}

// changeCipherSpec reads the client's ChangeCipherSpec record.
func (r *recordConn) changeCipherSpec() error {
	typ, payload, err := r.next()
	switch {
	case err != nil:
		return err
	case typ != recordChangeCipherSpec || !bytes.Equal(payload, []byte{1}):
		return fmt.Errorf("record type %d, want change_cipher_spec", typ)
	}
	return nil
}

// encrypted reads one protected record of type want and returns its
// plaintext.
func (r *recordConn) encrypted(g *gcmState, want uint8) ([]byte, error) {
	typ, payload, err := r.next()
	if err != nil {
		return nil, err
	}
	if typ != want {
		return nil, fmt.Errorf("record type %d, want %d", typ, want)
	}
	return g.open(typ, payload)
}
