// Command limbo-otp serves the chain of one x509-limbo case from a TLS 1.2
// server that holds no key for it, so that an Erlang/OTP client configured
// as the sender shows its verdict on the certificates in the alert it
// sends: a certificate alert (bad_certificate, unknown_ca, …) when it
// refuses the path, decrypt_error when it accepted the path and went on to
// check the ServerKeyExchange signature. bench/limbo-otp.sh drives it.
//
//	limbo-otp SUITE.json.gz DIR ID
//
// writes DIR/roots.pem and DIR/peer.pem, prints "PORT NAME" and serves one connection.
package main

import (
	"compress/gzip"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"strings"
)

type limboCase struct {
	ID                     string   `json:"id"`
	TrustedCerts           []string `json:"trusted_certs"`
	UntrustedIntermediates []string `json:"untrusted_intermediates"`
	PeerCertificate        string   `json:"peer_certificate"`
	ExpectedPeerName       *struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	} `json:"expected_peer_name"`
}

func der(p string) []byte {
	b, _ := pem.Decode([]byte(p))
	if b == nil {
		return nil
	}
	return b.Bytes
}

func handshake(typ byte, body []byte) []byte {
	h := []byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}
	return append(h, body...)
}

func record(payload []byte) []byte {
	h := []byte{22, 3, 3, byte(len(payload) >> 8), byte(len(payload))}
	return append(h, payload...)
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: limbo-otp SUITE.json.gz DIR ID")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var suite struct{ Testcases []limboCase }
	if err := json.NewDecoder(zr).Decode(&suite); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	byID := map[string]limboCase{}
	for _, c := range suite.Testcases {
		byID[c.ID] = c
	}
	current := byID[os.Args[3]]
	os.WriteFile(os.Args[2]+"/roots.pem", []byte(strings.Join(current.TrustedCerts, "\n")), 0o644)
	os.WriteFile(os.Args[2]+"/peer.pem", []byte(current.PeerCertificate), 0o644)
	name := "-"
	if current.ExpectedPeerName != nil {
		name = current.ExpectedPeerName.Value
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port, name)
	os.Stdout.Sync()
	c, err := ln.Accept()
	if err != nil {
		return
	}
	serve(c, current)
}

func serve(c net.Conn, lc limboCase) {
	defer c.Close()
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(c, hdr); err != nil {
		return
	}
	n := binary.BigEndian.Uint16(hdr[3:])
	io.ReadFull(c, make([]byte, n))
	leaf, _ := x509.ParseCertificate(der(lc.PeerCertificate))
	suite := []byte{0xc0, 0x2b} // ECDHE-ECDSA-AES128-GCM-SHA256
	if leaf != nil {
		if _, ok := leaf.PublicKey.(*rsa.PublicKey); ok {
			suite = []byte{0xc0, 0x2f}
		}
		if leaf.PublicKeyAlgorithm == x509.DSA {
			suite = []byte{0x00, 0xa2}
		}
	}
	sh := []byte{3, 3}
	r := make([]byte, 32)
	rand.Read(r)
	sh = append(sh, r...)
	sh = append(sh, 0)
	sh = append(sh, suite...)
	sh = append(sh, 0)
	// extensions: ec_point_formats uncompressed, renegotiation_info empty
	ext := []byte{0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, 0xff, 0x01, 0x00, 0x01, 0x00}
	sh = append(sh, byte(len(ext)>>8), byte(len(ext)))
	sh = append(sh, ext...)
	var certs []byte
	for _, p := range append([]string{lc.PeerCertificate}, lc.UntrustedIntermediates...) {
		d := der(p)
		certs = append(certs, byte(len(d)>>16), byte(len(d)>>8), byte(len(d)))
		certs = append(certs, d...)
	}
	cm := append([]byte{byte(len(certs) >> 16), byte(len(certs) >> 8), byte(len(certs))}, certs...)
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return
	}
	pub := k.PublicKey().Bytes()
	ske := []byte{3, 0, 23, byte(len(pub))}
	ske = append(ske, pub...)
	if suite[1] == 0xa2 {
		// RFC 3526 group 14 prime, g=2, a random Ys.
		p, _ := new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF", 16)
		pb := p.Bytes()
		y := make([]byte, len(pb))
		rand.Read(y)
		y[0] &= 0x7f
		ske = nil
		for _, v := range [][]byte{pb, {2}, y} {
			ske = append(ske, byte(len(v)>>8), byte(len(v)))
			ske = append(ske, v...)
		}
	}
	sig := make([]byte, 64)
	rand.Read(sig)
	if suite[1] == 0x2b {
		ske = append(ske, 4, 3)
	} else if suite[1] == 0xa2 {
		ske = append(ske, 4, 2)
	} else {
		ske = append(ske, 4, 1)
	}
	ske = append(ske, byte(len(sig)>>8), byte(len(sig)))
	ske = append(ske, sig...)
	var flight []byte
	flight = append(flight, handshake(2, sh)...)
	flight = append(flight, handshake(11, cm)...)
	flight = append(flight, handshake(12, ske)...)
	flight = append(flight, handshake(14, nil)...)
	for len(flight) > 0 {
		m := min(len(flight), 16000)
		c.Write(record(flight[:m]))
		flight = flight[m:]
	}
	io.Copy(io.Discard, c)
}
