package policy

// PagerDuty returns the rules of PagerDuty's webhook delivery system, from
// "Mutual TLS" in PagerDuty's webhook documentation (shared/seed/
// pagerduty-webhooks-mutual-tls.md):
//
//   - roots: "PagerDuty supports Mozilla's list of included CA Certificates
//     … We will drop webhooks if your certificate is self-signed or if your
//     certificate uses a CA outside of this list."
//   - order: "PagerDuty can only properly verify server certificate chains
//     which are presented in order. Out of order chains will be rejected."
//   - versions: "PagerDuty's webhook delivery system supports only TLS v1.2."
//   - suites: the 37 values of "Supported Cipher Suites", in that order.
//   - mutual TLS: the client certificate for CN=webhooks.pagerduty.com is
//     issued by DigiCert SHA2 Secure Server CA under DigiCert Global Root
//     CA, so the server needs verify depth 2.
func PagerDuty() *Policy {
	return &Policy{
		Name:         "pagerduty",
		Description:  "PagerDuty webhook delivery (strict sender: TLS 1.2 only, Mozilla roots, chain in order)",
		Reference:    "PagerDuty Developer Documentation, Webhooks: Mutual TLS",
		Versions:     []uint16{0x0303},
		CipherSuites: pagerDutySuites(),
		Hello: HelloProfile{
			// The suite order is a JVM client's default of its time (JDK 8).
			// Those clients offered the NIST curves and not X25519, so we
			// offer P-256, P-384 and P-521 only: a server that does ECDHE
			// solely over X25519 would not get an ECDHE handshake from
			// this sender either, and we want to see that, not hide it.
			Groups: []uint16{
				0x0017, // secp256r1
				0x0018, // secp384r1
				0x0019, // secp521r1
			},
			// PKCS#1 v1.5 and ECDSA with SHA-2, and DSA for the DHE_DSS
			// suites. No SHA-1 (a strict sender of today refuses it) and
			// no RSA-PSS, which JDK 8's TLS 1.2 did not offer: a server
			// that can only sign with PSS would fail with the sender.
			SignatureAlgorithms: []uint16{
				0x0603, // ecdsa_secp521r1_sha512
				0x0601, // rsa_pkcs1_sha512
				0x0503, // ecdsa_secp384r1_sha384
				0x0501, // rsa_pkcs1_sha384
				0x0403, // ecdsa_secp256r1_sha256
				0x0401, // rsa_pkcs1_sha256
				0x0402, // dsa_sha256
			},
			ExtendedMasterSecret: true,
			RenegotiationInfo:    true,
		},
		Roots:        "mozilla",
		RequireOrder: true,
		ClientAuth: ClientAuth{
			CASubject:    "CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US",
			Intermediate: "CN=DigiCert SHA2 Secure Server CA,O=DigiCert Inc,C=US",
			VerifyDepth:  2,
			SubjectCN:    "webhooks.pagerduty.com",
		},
	}
}

// Suite is a cipher suite by IANA code point and name.
type Suite struct {
	ID   uint16
	Name string
}

// pagerDutySuiteTable lists the 37 values of the sender's "Supported Cipher
// Suites", in the documented order, with their IANA code points.
var pagerDutySuiteTable = [...]Suite{
	{0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
	{0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
	{0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
	{0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
	{0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
	{0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384"},
	{0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384"},
	{0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384"},
	{0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384"},
	{0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
	{0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"},
	{0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
	{0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"},
	{0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
	{0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
	{0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
	{0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
	{0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256"},
	{0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"},
	{0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256"},
	{0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256"},
	{0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
	{0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"},
	{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
	{0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"},
	{0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
	{0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
	{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
	{0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"},
	{0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"},
	{0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"},
	{0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
	{0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
	{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
	{0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"},
	{0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"},
	{0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"},
}

// PagerDutySuites returns the sender's 37 suites with names, in order.
func PagerDutySuites() []Suite { return append([]Suite(nil), pagerDutySuiteTable[:]...) }

func pagerDutySuites() []uint16 {
	ids := make([]uint16, len(pagerDutySuiteTable))
	for i, s := range pagerDutySuiteTable {
		ids[i] = s.ID
	}
	return ids
}
