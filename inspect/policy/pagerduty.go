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
//   - mutual TLS: the seed's client certificate for
//     CN=webhooks.pagerduty.com is issued by DigiCert SHA2 Secure Server CA
//     under DigiCert Global Root CA, so the server needs verify depth 2.
//     The chain has changed since (DigiCert Global Root G2 from January
//     2024, a new certificate every year, CN=webhooks.eu.pagerduty.com for
//     the EU region): ClientAuth.Chains lists them all with their sources.
//
// The ClientHello is the sender's own, an Erlang/OTP ssl client's
// (sender-model.md section 2).
func PagerDuty() *Policy {
	return &Policy{
		Name:         "pagerduty",
		Description:  "PagerDuty webhook delivery (strict sender: TLS 1.2 only, Mozilla roots, chain in order)",
		Reference:    "PagerDuty Developer Documentation, Webhooks: Mutual TLS",
		Versions:     []uint16{0x0303},
		CipherSuites: pagerDutySuites(),
		Hello: HelloProfile{
			// sender-model.md section 2: OTP's ssl client sends exactly
			// these four extensions, in this order (recorded from an OTP 25
			// client configured as the sender; OTP encodes its extension
			// map in reverse key order, lib/ssl/src/ssl_handshake.erl), with
			// the TLS 1.2 record version, and no extended_master_secret,
			// session_ticket or renegotiation_info: the SCSV, first in the
			// suites, stands for the last.
			ExtensionOrder: []uint16{
				0x0000, // server_name
				0x000D, // signature_algorithms
				0x000A, // supported_groups
				0x000B, // ec_point_formats
			},
			PointFormats:  []uint8{0}, // uncompressed
			RecordVersion: 0x0303,
			// Every named curve of OTP's crypto library, in OTP's order
			// (ssl:eccs() on OTP 25 with OpenSSL 3: 28 curves; the same
			// list an OTP 25 client sent when recorded).
			Groups: otpCurves(),
			// OTP's TLS 1.2 default (OTP 21 and 22, sender-model.md
			// section 2): SHA-512 down to SHA-1, ECDSA before RSA, and
			// DSA with SHA-1. The same list bounds the signatures OTP
			// accepts on certificates.
			SignatureAlgorithms: []uint16{
				0x0603, // ecdsa_secp521r1_sha512
				0x0601, // rsa_pkcs1_sha512
				0x0503, // ecdsa_secp384r1_sha384
				0x0501, // rsa_pkcs1_sha384
				0x0403, // ecdsa_secp256r1_sha256
				0x0401, // rsa_pkcs1_sha256
				0x0303, // ecdsa_sha224
				0x0301, // rsa_sha224
				0x0203, // ecdsa_sha1
				0x0201, // rsa_pkcs1_sha1
				0x0202, // dsa_sha1
			},
		},
		Roots:        "mozilla",
		RequireOrder: true,
		ClientAuth: ClientAuth{
			VerifyDepth: 2,
			Chains:      pagerDutyClientChains(),
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

// otpCurves returns the named curves an Erlang/OTP ssl client offers, in
// its order: ssl:eccs() on OTP 25 with OpenSSL 3, which is every curve of
// its crypto library (lib/ssl/src/ssl_cipher.erl, tls_v1:ecc_curves(all)),
// sect571r1 first.
func otpCurves() []uint16 {
	return []uint16{
		14, // sect571r1
		13, // sect571k1
		25, // secp521r1
		28, // brainpoolP512r1
		11, // sect409k1
		12, // sect409r1
		27, // brainpoolP384r1
		24, // secp384r1
		9,  // sect283k1
		10, // sect283r1
		26, // brainpoolP256r1
		22, // secp256k1
		23, // secp256r1
		8,  // sect239k1
		6,  // sect233k1
		7,  // sect233r1
		20, // secp224k1
		21, // secp224r1
		4,  // sect193r1
		5,  // sect193r2
		18, // secp192k1
		19, // secp192r1
		1,  // sect163k1
		2,  // sect163r1
		3,  // sect163r2
		15, // secp160k1
		16, // secp160r1
		17, // secp160r2
	}
}
