package inspect

import (
	"crypto/x509"
	"fmt"
	"time"

	"golang.org/x/crypto/ocsp"
)

// maxOCSPResponse bounds a stapled response decoded (real ones are a few
// KiB; the flight reader bounds it first).
const maxOCSPResponse = 64 << 10

// decodeOCSP decodes a stapled OCSP response (RFC 6960) and says whether
// it is about the certificate at position 0. Its signature is not checked:
// the sender checks no revocation (sender-model.md section 3), and the
// report only shows what the server staples. nil when raw is empty.
func decodeOCSP(raw []byte, certs []*x509.Certificate) *OCSPStatus {
	if len(raw) == 0 {
		return nil
	}
	out := &OCSPStatus{}
	if len(raw) > maxOCSPResponse {
		out.Error = fmt.Sprintf("a response of %d bytes, over %d", len(raw), maxOCSPResponse)
		return out
	}
	var leaf *x509.Certificate
	if len(certs) > 0 {
		leaf = certs[0]
	}
	resp, err := ocsp.ParseResponseForCert(raw, leaf, nil)
	if err != nil && leaf != nil {
		resp, err = ocsp.ParseResponse(raw, nil) // a response for another certificate
	}
	if err != nil {
		out.Error = oneLine(err.Error())
		return out
	}
	utc := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		t = t.UTC()
		return &t
	}
	out.ProducedAt, out.ThisUpdate, out.NextUpdate = utc(resp.ProducedAt), utc(resp.ThisUpdate), utc(resp.NextUpdate)
	out.ForLeaf = leaf != nil && resp.SerialNumber != nil && resp.SerialNumber.Cmp(leaf.SerialNumber) == 0
	switch resp.Status {
	case ocsp.Good:
		out.Status = "good"
	case ocsp.Revoked:
		out.Status = "revoked"
		out.RevokedAt = utc(resp.RevokedAt)
		out.RevocationReason = revocationReasons[resp.RevocationReason]
	default:
		out.Status = "unknown"
	}
	return out
}

// revocationReasons names the CRLReason codes (RFC 5280 §5.3.1).
var revocationReasons = map[int]string{
	ocsp.Unspecified: "unspecified", ocsp.KeyCompromise: "keyCompromise", ocsp.CACompromise: "cACompromise",
	ocsp.AffiliationChanged: "affiliationChanged", ocsp.Superseded: "superseded",
	ocsp.CessationOfOperation: "cessationOfOperation", ocsp.CertificateHold: "certificateHold",
	ocsp.RemoveFromCRL: "removeFromCRL", ocsp.PrivilegeWithdrawn: "privilegeWithdrawn", ocsp.AACompromise: "aACompromise",
}

// ocspCheck reports the stapled OCSP response. The sender checks no
// revocation (no CRL, no OCSP: sender-model.md section 3), so nothing here
// fails; a response saying "revoked" or "unknown", one about another
// certificate, one past its nextUpdate or one that does not decode is a
// warning, since clients that check revocation refuse the certificate.
func ocspCheck(st *OCSPStatus, at time.Time) Check {
	c := newCheck(CheckOCSP)
	if st == nil {
		c.Status = StatusInfo
		c.Detail = "the server staples no OCSP response; the sender checks no revocation"
		return c
	}
	const others = "clients that check revocation (Firefox, Safari, OpenSSL with status checks) refuse a stapled response saying so, though the sender checks none"
	switch {
	case st.Error != "":
		c.Status = StatusWarn
		c.Detail = "the stapled OCSP response does not decode: " + st.Error + "; " + others
		c.Fix = "check the server's OCSP stapling configuration (nginx: `ssl_stapling_file` or `ssl_stapling_responder`; Apache: `SSLStaplingResponderTimeout`)"
	case !st.ForLeaf:
		// Before what the response says: a server still stapling the
		// response of a certificate it replaced is no revoked leaf.
		c.Status = StatusWarn
		c.Detail = "the stapled OCSP response is about another certificate than #0 (it says " + st.Status + "); " + others
		c.Fix = "staple the response for the certificate the server sends (restart the server after changing its certificate)"
	case st.Status == "revoked":
		c.Status = StatusWarn
		c.Detail = "the stapled OCSP response says the certificate is revoked"
		if st.RevokedAt != nil {
			c.Detail += " since " + st.RevokedAt.Format(time.DateOnly)
		}
		if st.RevocationReason != "" {
			c.Detail += " (" + st.RevocationReason + ")"
		}
		c.Detail += "; " + others
		c.Fix = "replace the certificate: issue a new one and install it"
	case st.Status == "unknown":
		c.Status = StatusWarn
		c.Detail = "the stapled OCSP response says \"unknown\": the responder does not know the certificate; " + others
		c.Fix = "check that the certificate comes from the CA whose responder the server asks"
	case st.NextUpdate != nil && st.NextUpdate.Before(at):
		c.Status = StatusWarn
		c.Detail = "the stapled OCSP response (good) expired at " + st.NextUpdate.Format(time.RFC3339) + "; " + others
		c.Fix = "let the server refresh its staple (nginx fetches one when `ssl_stapling_verify` succeeds; check its `resolver`)"
	default:
		c.Status = StatusPass
		c.Detail = "the stapled OCSP response says good"
		if st.NextUpdate != nil {
			c.Detail += ", until " + st.NextUpdate.Format(time.RFC3339)
		}
	}
	return c
}
