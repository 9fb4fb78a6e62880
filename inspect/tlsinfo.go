package inspect

import (
	"crypto/x509"
	"fmt"

	"chainscope/inspect/wire"
)

// tlsInfo is what the handshakes say about the server, chain aside.
func (hs handshakes) tlsInfo(addr string) *TLSInfo {
	info := &TLSInfo{Address: addr, Versions: map[string]bool{}}
	for _, v := range probeVersions {
		pr := hs.byVersion[v]
		info.Versions[wire.VersionName(v)] = pr.err == nil && pr.flight.Version == v
	}
	if pol := hs.policy; pol.err == nil {
		f := pol.flight
		info.Version = wire.VersionName(f.Version)
		info.CipherSuite = wire.SuiteName(f.CipherSuite)
		info.SecureRenegotiation = f.RenegotiationInfo
		info.ExtendedMasterSecret = f.ExtendedMasterSecret
		info.OCSPStapled = len(f.OCSPResponse) > 0
		info.KeyExchange = describeKeyExchange(f.KeyExchange)
	} else {
		info.PolicyHandshakeError = oneLine(pol.err.Error())
	}
	fh := hs.full
	info.FullHandshake = fh.summary()
	info.ALPN = fh.alpn
	info.OCSPStapled = info.OCSPStapled || fh.ocsp
	if hs.clientCert {
		info.ClientAuth.Presented = true
		info.ClientAuth.Accepted = fh.err == nil
		if fh.err != nil {
			info.ClientAuth.AcceptError = oneLine(fh.err.Error())
		}
	}
	info.ClientAuth.AcceptableCAs = []string{}
	return info
}

// chain returns the certificates as sent — from the policy's handshake,
// else from the first clear-text probe that carried them, else from the
// full handshake — and fills in the client-certificate request that came
// with them.
func (hs handshakes) chain(addr string, info *TLSInfo) ([]*x509.Certificate, error) {
	for _, pr := range []probe{hs.policy, hs.byVersion[wire.VersionTLS12], hs.byVersion[wire.VersionTLS11], hs.byVersion[wire.VersionTLS10]} {
		if pr.err != nil || len(pr.flight.Certificates) == 0 {
			continue
		}
		var certs []*x509.Certificate
		for i, der := range pr.flight.Certificates {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("%s: certificate %d of the chain: malformed: %w", addr, i, err)
			}
			certs = append(certs, c)
		}
		if cr := pr.flight.CertificateRequest; cr != nil {
			info.ClientAuth.Requested = true
			info.ClientAuth.AcceptableCAs = caNames(cr.CANames)
		}
		return certs, nil
	}
	fh := hs.full
	if fh.err != nil && len(fh.certs) == 0 {
		return nil, noChainError(addr, hs.policy.err, fh.cause)
	}
	info.ClientAuth.Requested = fh.requested
	if fh.cas != nil {
		info.ClientAuth.AcceptableCAs = fh.cas
	}
	return fh.certs, nil
}

func describeKeyExchange(kx *wire.KeyExchange) string {
	if kx == nil {
		return ""
	}
	switch {
	case kx.Group != 0:
		return kx.Kind + " " + wire.GroupName(kx.Group)
	case kx.DHBits > 0:
		return fmt.Sprintf("%s %d bits", kx.Kind, kx.DHBits)
	}
	return kx.Kind
}
