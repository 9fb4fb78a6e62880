package inspect

import (
	"time"
)

// Schema is the value of [Report.Schema]: the version of the JSON contract in
// the headless specification.
const Schema = "chainscope/report/v1"

// Verdict is the overall outcome of one inspection.
type Verdict string

// The verdicts a [Report] can carry. VerdictFail is set exactly when some
// check has [StatusFail].
const (
	VerdictPass  Verdict = "pass"
	VerdictFail  Verdict = "fail"
	VerdictError Verdict = "error"
)

// Status is the outcome of one [Check].
type Status string

// The statuses of a check, from best to worst for a sender: pass and info
// never change the verdict, warn is worth a look, fail makes the verdict fail,
// skip means the rule does not apply to this target.
const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusWarn Status = "warn"
	StatusInfo Status = "info"
	StatusSkip Status = "skip"
)

// Source says where the certificates of a [Report] came from.
type Source string

// The sources of a report: a live TLS endpoint or a file.
const (
	SourceTLS  Source = "tls"
	SourceFile Source = "file"
)

// The check ids of the headless specification, in its order. Every report
// lists each of them once; [CheckStrength], [CheckHandshake],
// [CheckKeyExchange] and [CheckOCSP] follow them as additions.
const (
	CheckProtocol   = "tls.protocol"
	CheckCipher     = "tls.cipher"
	CheckOrder      = "chain.order"
	CheckComplete   = "chain.complete"
	CheckExtra      = "chain.extra"
	CheckRoot       = "trust.root"
	CheckValidity   = "cert.validity"
	CheckHostname   = "cert.hostname"
	CheckClientAuth = "mtls.client_auth"
	// CheckStrength is chainscope's addition to the specification: weak keys
	// and signature algorithms on the path, as warnings.
	CheckStrength = "cert.strength"
	// CheckHandshake judges the rest of the server's flight as the sender
	// reads it: a fatal alert after ServerHello, a message larger than the
	// sender accepts, a flight that breaks the protocol (sender-model.md
	// section 3).
	CheckHandshake = "tls.handshake"
	// CheckKeyExchange judges the ServerKeyExchange: its signature by the
	// key of position 0, the DH group size, the ECDHE curve, and the leaf's
	// key usage against the key exchange (sender-model.md section 3).
	CheckKeyExchange = "tls.key_exchange"
	// CheckOCSP reports a stapled OCSP response's status; the sender checks
	// no revocation, so it never fails (sender-model.md section 3).
	CheckOCSP = "cert.ocsp"
)

// CheckIDs lists every check id in the order reports carry them.
var CheckIDs = []string{
	CheckProtocol, CheckCipher, CheckOrder, CheckComplete, CheckExtra,
	CheckRoot, CheckValidity, CheckHostname, CheckClientAuth, CheckStrength,
	CheckHandshake, CheckKeyExchange, CheckOCSP,
}

// Report is everything one inspection found, as plain data: the single type
// between the engine and every front end. Encoded as JSON it is one line of
// the headless mode (schema chainscope/report/v1); the text report and the
// interactive interface render it. Times are UTC, the chain is in the order
// it was presented and checks are in [CheckIDs] order.
type Report struct {
	Schema     string `json:"schema"`
	Target     string `json:"target"`
	Source     Source `json:"source"`
	ServerName string `json:"servername"`
	// ServerNameUnicode is the servername's Unicode form when it has
	// IDNA A-labels ("bücher.example" for "xn--bcher-kva.example"); the
	// A-label form is what SNI carries and the leaf must cover.
	ServerNameUnicode string    `json:"servername_unicode,omitempty"`
	Policy            string    `json:"policy"`
	EvaluatedAt       time.Time `json:"evaluated_at"`
	Verdict           Verdict   `json:"verdict"`
	// As is "client" when the chain is a client's, judged by the client
	// checks ([ClientCheckIDs]); empty for a server's.
	As string `json:"as,omitempty"`
	// Error says in one line why the inspection could not run; set only when
	// Verdict is [VerdictError].
	Error  string        `json:"error,omitempty"`
	TLS    *TLSInfo      `json:"tls"`
	Chain  []Certificate `json:"chain"`
	Trust  Trust         `json:"trust"`
	Checks []Check       `json:"checks"`
	// Notes are remarks that are no check: PEM blocks of other types that
	// were skipped, for instance.
	Notes []string `json:"notes,omitempty"`
	// FixedChain is the repaired chain, when --fix-chain asked for one
	// (see [Repair]).
	FixedChain *FixedChain `json:"fixed_chain,omitempty"`
}

// TLSInfo is what the handshakes with a live endpoint showed.
type TLSInfo struct {
	// Address is the IP address and port that answered.
	Address string `json:"address"`
	// Version and CipherSuite are what the policy's own ClientHello
	// negotiated (IANA names); empty when that handshake failed.
	Version     string `json:"version"`
	CipherSuite string `json:"cipher_suite"`
	// PolicyHandshakeError says why the policy's handshake failed, if it did.
	PolicyHandshakeError string `json:"policy_handshake_error,omitempty"`
	// Versions says which protocol versions the server accepts.
	Versions map[string]bool `json:"versions"`
	// VersionAlerts holds, for each version the server did not accept,
	// the alert its probe got, e.g. "protocol_version (70)"; absent when
	// the probe ended otherwise or was not needed.
	VersionAlerts map[string]string `json:"version_alerts,omitempty"`
	// NoSuiteVersions lists the versions the server appears to enable
	// without negotiating them: every probe for it, offering every suite
	// of that version, was refused with handshake_failure or
	// insufficient_security rather than protocol_version (RFC 5246
	// §7.2.2, RFC 8446 §6.2): no suite it has can be used — e.g. DHE
	// suites alone without DH parameters, or suites for another key type
	// than its certificate's.
	NoSuiteVersions []string `json:"no_suite_versions,omitempty"`
	// AcceptedCipherSuites lists, per protocol version, every suite the
	// server accepts (only with --ciphers), in the server's preference when
	// it imposes one (for the first CipherEnumeration[v].PreferenceKnown).
	AcceptedCipherSuites map[string][]string `json:"accepted_cipher_suites,omitempty"`
	// CipherDetails describes each accepted suite (only with --ciphers).
	CipherDetails map[string][]CipherSuite `json:"cipher_details,omitempty"`
	// ServerOrder says, per protocol version, whether the server imposes its
	// own suite preference (only with --ciphers, for versions whose
	// enumeration completed with at least two suites).
	ServerOrder map[string]bool `json:"server_order,omitempty"`
	// CipherEnumeration says, per protocol version the server speaks,
	// whether the enumeration finished and what the order probes showed
	// (only with --ciphers).
	CipherEnumeration map[string]Enumeration `json:"cipher_enumeration,omitempty"`
	// KeyExchange describes the server's key exchange in the policy
	// handshake, e.g. "ECDHE secp256r1" or "DHE 2048 bits".
	KeyExchange string `json:"key_exchange,omitempty"`
	// ServerKeyExchange details the policy handshake's ServerKeyExchange;
	// nil when none was read.
	ServerKeyExchange *ServerKeyExchange `json:"server_key_exchange,omitempty"`
	// HandshakeMessages lists the messages of the policy handshake's flight
	// as read, ServerHello first, with their lengths.
	HandshakeMessages []HandshakeMessage `json:"handshake_messages,omitempty"`
	// PolicyAlert names the alert the server sent in the policy handshake,
	// before or after its ServerHello, e.g. "internal_error (80)".
	PolicyAlert string `json:"policy_alert,omitempty"`
	// SecureRenegotiation is true when the server sent renegotiation_info.
	SecureRenegotiation bool `json:"secure_renegotiation"`
	// ExtendedMasterSecret is true when the server agreed to RFC 7627.
	ExtendedMasterSecret bool `json:"extended_master_secret"`
	// ALPN is the protocol the server chose in a full handshake.
	ALPN string `json:"alpn,omitempty"`
	// OCSPStapled is true when the server stapled an OCSP response.
	OCSPStapled bool `json:"ocsp_stapled"`
	// OCSP is the stapled response decoded; nil when none was stapled.
	OCSP *OCSPStatus `json:"ocsp,omitempty"`
	// ClientAuth is the server's request for a client certificate.
	ClientAuth ClientAuth `json:"client_auth"`
	// FullHandshake is what a complete crypto/tls handshake (Go's own
	// ClientHello, TLS 1.0 to 1.3) negotiated beside the policy's.
	FullHandshake *FullHandshake `json:"full_handshake,omitempty"`
	// Handshakes counts the TCP connections the inspection opened.
	Handshakes int `json:"connections"`
}

// FullHandshake is the outcome of a complete handshake with crypto/tls.
type FullHandshake struct {
	Version     string `json:"version,omitempty"`
	CipherSuite string `json:"cipher_suite,omitempty"`
	ALPN        string `json:"alpn,omitempty"`
	OCSPStapled bool   `json:"ocsp_stapled"`
	// Error says why the handshake failed, e.g. a server that requires a
	// client certificate.
	Error string `json:"error,omitempty"`
}

// CipherSuite is one accepted cipher suite with what the policy and common
// practice say of it.
type CipherSuite struct {
	Name     string `json:"name"`
	ID       string `json:"id"`
	InPolicy bool   `json:"in_policy"`
	// Weakness names why the suite is weak ("RC4", "export-grade", ...), or
	// is empty.
	Weakness string `json:"weakness,omitempty"`
	// Note is information that is no weakness, e.g. "CBC with SHA-1 MAC"
	// under TLS 1.2.
	Note string `json:"note,omitempty"`
}

// Enumeration is how the cipher-suite enumeration of one protocol version
// ended.
type Enumeration struct {
	// Complete is false when a probe failed twice (a reset, a timeout) and
	// the list may miss suites; Reason then says which probe and why.
	Complete bool   `json:"complete"`
	Reason   string `json:"reason,omitempty"`
	// Order is "server" (the server imposes its preference), "server
	// except chacha20" (its own, unless the client prefers ChaCha20-Poly1305,
	// as OpenSSL's PrioritizeChaCha, BoringSSL and Go do), "client" (the
	// client's first acceptable suite), or "" when not known: fewer than
	// two suites, or an incomplete enumeration.
	Order string `json:"order,omitempty"`
	// PreferenceKnown, with a server order (nil otherwise), is how many
	// leading suites of the accepted list are in the server's exact
	// preference; the others,
	// found only in later hellos of at most 128 suites, follow in the
	// order found, their rank among the first not known.
	PreferenceKnown *int `json:"preference_known,omitempty"`
}

// ServerKeyExchange is the policy handshake's ServerKeyExchange.
type ServerKeyExchange struct {
	// Kind is "ECDHE", "DHE", … as in [TLSInfo.KeyExchange].
	Kind string `json:"kind"`
	// Group is the named curve of ECDHE, e.g. "secp256r1".
	Group string `json:"group,omitempty"`
	// DHBits is the size of a finite-field group's prime.
	DHBits int `json:"dh_bits,omitempty"`
	// SignatureScheme is the TLS 1.2 signature scheme, e.g.
	// "rsa_pkcs1_sha512".
	SignatureScheme string `json:"signature_scheme,omitempty"`
	// Signature is "valid" (verifies with the key of position 0),
	// "invalid", "unverified" (a scheme or key chainscope cannot verify)
	// or "" when the parameters are not signed.
	Signature string `json:"signature,omitempty"`
}

// HandshakeMessage is one message of the server's flight.
type HandshakeMessage struct {
	Name   string `json:"name"`
	Length int    `json:"length"`
}

// OCSPStatus is a stapled OCSP response (RFC 6960) decoded.
type OCSPStatus struct {
	// Status is "good", "revoked" or "unknown"; "" when the response could
	// not be decoded (Error says why).
	Status     string     `json:"status"`
	ProducedAt *time.Time `json:"produced_at,omitempty"`
	ThisUpdate *time.Time `json:"this_update,omitempty"`
	NextUpdate *time.Time `json:"next_update,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	// RevocationReason is the CRL reason code's name, e.g. "keyCompromise".
	RevocationReason string `json:"revocation_reason,omitempty"`
	// ForLeaf is true when the response names the serial number of the
	// certificate at position 0.
	ForLeaf bool   `json:"for_leaf"`
	Error   string `json:"error,omitempty"`
}

// ClientAuth is whether the server asks for a client certificate, and whose.
type ClientAuth struct {
	Requested bool `json:"requested"`
	// Mode is "none" (no CertificateRequest), "required" (a handshake
	// without a certificate is refused, or completes and the HTTP request
	// over it is refused) or "optional" (it completes and the request goes
	// through) — sender-model.md section 4 — or "unknown" when the server
	// ended every handshake before it would ask (UnknownReason says how).
	Mode string `json:"mode"`
	// UnknownReason says why Mode is "unknown": the sender's handshake
	// ended in what it refuses before a CertificateRequest could come (in
	// TLS 1.2 it precedes ServerHelloDone), and the full handshake failed
	// too, so nothing shows whether the server asks.
	UnknownReason string `json:"unknown_reason,omitempty"`
	// HTTPStatus is the status line a HEAD / request got over the
	// handshake made without a certificate, when it completed.
	HTTPStatus string `json:"http_status,omitempty"`
	// Renegotiated is true when the server asked only after reading that
	// request, in a TLS 1.2 renegotiation (Apache's SSLVerifyClient in a
	// per-directory context): the sender's client follows it and is asked
	// all the same.
	Renegotiated bool `json:"renegotiated,omitempty"`
	// UnknownCARefused says, when the request's CA list leaves out the
	// sender's CA (required or optional), whether the server refused a
	// throwaway certificate from a CA it cannot know (in the handshake, or
	// the request over it), as it would the sender's; nil when not probed.
	// mtls check fills it from its client under a throw-away CA.
	UnknownCARefused *bool `json:"unknown_ca_refused,omitempty"`
	// UnknownCAHTTPStatus is the status line the HEAD / request got over
	// the handshake that presented that certificate, when it got one;
	// UnknownCAError why the handshake or the request failed.
	UnknownCAHTTPStatus string `json:"unknown_ca_http_status,omitempty"`
	UnknownCAError      string `json:"unknown_ca_error,omitempty"`
	// SignatureAlgorithms are the supported_signature_algorithms of a TLS
	// 1.2 CertificateRequest (RFC 5246 §7.4.4): the schemes the server
	// accepts in the client's CertificateVerify, IANA names, in order.
	SignatureAlgorithms []string `json:"signature_algorithms,omitempty"`
	// AcceptableCAs are the CA names of the CertificateRequest (RFC 5246
	// §7.4.4), as RFC 4514 strings, in the order sent.
	AcceptableCAs []string `json:"acceptable_cas"`
	// PolicyCAAccepted is true when the policy's client CA is among them.
	PolicyCAAccepted bool `json:"policy_ca_accepted"`
	// Presented is true when a client certificate was offered with
	// --client-cert; Accepted says whether the server then completed the
	// handshake and answered a HEAD / request over it without refusing it,
	// and AcceptError why not.
	Presented   bool   `json:"presented"`
	Accepted    bool   `json:"accepted"`
	AcceptError string `json:"accept_error,omitempty"`
	// AcceptHTTPStatus is the status line of that request.
	AcceptHTTPStatus string `json:"accept_http_status,omitempty"`
}

// Certificate is one presented certificate, at its position on the wire.
type Certificate struct {
	Position  int       `json:"position"`
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	SHA256    string    `json:"sha256"`
	SHA1      string    `json:"sha1"`
	IsCA      bool      `json:"is_ca"`
	// SelfSigned is true when the certificate's signature verifies with its
	// own key and its subject equals its issuer.
	SelfSigned bool `json:"self_signed"`
	// IssuedByNext is true when the certificate at Position+1 signed this
	// one (checked by signature, not by names).
	IssuedByNext bool `json:"issued_by_next"`
	// Role is this certificate's place in the chain: "leaf",
	// "intermediate", "root", "duplicate" or "unrelated".
	Role string `json:"role"`
	// Name is how reports name the certificate: "CN=" and its common name
	// when it has one, else its whole subject (RFC 4514).
	Name string `json:"name"`
	// IssuedBy says what issued the certificate on the path the sender
	// would take, and whether that link holds for it.
	IssuedBy Link `json:"issued_by"`
	// Expiry is the certificate's validity at the evaluation time.
	Expiry Expiry `json:"expiry"`
	// Note says what a certificate off the path is ("a copy of #1", "an
	// older cross-sign of …") and what to do with it; empty on the path.
	Note                   string   `json:"note,omitempty"`
	DNSNames               []string `json:"dns_names"`
	IPAddresses            []string `json:"ip_addresses,omitempty"`
	EmailAddresses         []string `json:"email_addresses,omitempty"`
	URIs                   []string `json:"uris,omitempty"`
	KeyType                string   `json:"key_type"`
	KeyBits                int      `json:"key_bits"`
	SignatureAlgorithm     string   `json:"signature_algorithm"`
	SubjectKeyID           string   `json:"subject_key_id,omitempty"`
	AuthorityKeyID         string   `json:"authority_key_id,omitempty"`
	OCSPServers            []string `json:"ocsp_servers,omitempty"`
	IssuingCertificateURLs []string `json:"issuing_certificate_urls,omitempty"`
	CRLDistributionPoints  []string `json:"crl_distribution_points,omitempty"`
	ExtKeyUsage            []string `json:"ext_key_usage,omitempty"`
	KeyUsage               []string `json:"key_usage,omitempty"`
	// MaxPathLen is the basic-constraints path length, -1 when unlimited or
	// not a CA.
	MaxPathLen int    `json:"max_path_len"`
	PEM        string `json:"pem"`
}

// LinkKind says what issued a certificate, see [Link].
type LinkKind string

// The kinds of [Link].
const (
	// LinkPresented: the presented certificate at Link.Position issued it.
	LinkPresented LinkKind = "presented"
	// LinkStore: a root of the trust store issued it; the root was not
	// presented ([Trust] describes it).
	LinkStore LinkKind = "store"
	// LinkAnchor: the certificate is itself the trust anchor, a root of
	// the store or a copy with the root's subject and key (a cross-sign),
	// which verifiers treat as the root.
	LinkAnchor LinkKind = "anchor"
	// LinkSelfSigned: the certificate signed itself and is not in the
	// store.
	LinkSelfSigned LinkKind = "self_signed"
	// LinkMissing: no presented certificate and no store root can issue
	// it (same name as its issuer and a signature that verifies).
	LinkMissing LinkKind = "missing"
	// LinkOffPath: the certificate is not on the path; Certificate.Note
	// says what it is.
	LinkOffPath LinkKind = "off_path"
)

// Link is how a certificate is tied to its issuer on the path the sender
// would take (sender-model.md section 3), as the engine judged it: front
// ends draw it, they never re-judge it.
type Link struct {
	Kind LinkKind `json:"kind"`
	// Position is the issuer's position when Kind is [LinkPresented],
	// else -1.
	Position int `json:"position"`
	// Issuer names the issuer ("CN=…"), when one is known.
	Issuer string `json:"issuer,omitempty"`
	// Status is pass when the link holds and sits where the sender looks
	// for it (the next position, or the store); warn when it holds with a
	// weakness the sender accepts (a SHA-1 signature); fail when it
	// breaks the path for the sender: out of order, refused (signature
	// algorithm, distrust, constraints), self-signed or missing. Skip for
	// certificates off the path.
	Status Status `json:"status"`
	// Reason says why the status is not pass, in one phrase, e.g. "not
	// issued by #1 (issued by #2)".
	Reason string `json:"reason,omitempty"`
}

// The states of an [Expiry].
const (
	ExpiryValid       = "valid"
	ExpiryExpiring    = "expiring"
	ExpiryExpired     = "expired"
	ExpiryNotYetValid = "not_yet_valid"
)

// Expiry is a certificate's validity at the evaluation time (RFC 5280
// §4.1.2.5), with the engine's threshold applied.
type Expiry struct {
	// State is "valid", "expiring" (within 30 days of not_after),
	// "expired" or "not_yet_valid".
	State string `json:"state"`
	// Status is pass when valid, warn when expiring, fail when expired or
	// not yet valid.
	Status Status `json:"status"`
	// DaysLeft counts whole days from the evaluation time to not_after;
	// negative once expired.
	DaysLeft int `json:"days_left"`
}

// Trust is where the chain leads in the trust store.
type Trust struct {
	// Store names the trust store with its version or date, in prose.
	Store string `json:"store"`
	// StoreInfo says the same as data; absent when no store was loaded.
	StoreInfo *StoreInfo `json:"store_info,omitempty"`
	Trusted   bool       `json:"trusted"`
	// RootSubject names the store root the path ends at, when one was found.
	RootSubject string `json:"root_subject"`
	// RootPresented is true when that root was also sent by the server.
	RootPresented bool `json:"root_presented"`
	// RootName names the store root briefly ("CN=…").
	RootName string `json:"root_name,omitempty"`
	// RootSHA256 and RootNotAfter describe the store root.
	RootSHA256   string     `json:"root_sha256,omitempty"`
	RootNotAfter *time.Time `json:"root_not_after,omitempty"`
	// RootExpiry is the store root's validity at the evaluation time.
	RootExpiry *Expiry `json:"root_expiry,omitempty"`
	// RootStatus is pass when the sender accepts the path up to the store
	// root, fail when the root was reached but the path is refused there
	// (RootReason says why: a distrust-after date, a constraint).
	RootStatus Status `json:"root_status,omitempty"`
	RootReason string `json:"root_reason,omitempty"`
	// Path lists the positions of the presented certificates on the path
	// from the leaf towards the root, leaf first.
	Path []int `json:"path"`
	// MissingIssuer names the issuer the path stops at when an intermediate
	// is missing.
	MissingIssuer string `json:"missing_issuer,omitempty"`
	// MissingIssuerName names the missing issuer briefly ("CN=…").
	MissingIssuerName string `json:"missing_issuer_name,omitempty"`
	// OtherPaths are the candidate paths that were not chosen, best
	// first, each with its first failure (see the README, "How a path is
	// chosen").
	OtherPaths []CandidatePath `json:"other_paths,omitempty"`
	// FormerRoot is set when the path ends at a root Mozilla's list used
	// to include and no longer does (only with the Mozilla store).
	FormerRoot *FormerRoot `json:"former_root,omitempty"`
}

// FormerRoot is a root that releases of Mozilla's included CA list (as
// golang.org/x/crypto/x509roots/fallback carried it) held and the release
// the store embeds no longer holds.
type FormerRoot struct {
	Subject string `json:"subject"`
	SHA256  string `json:"sha256"`
	// Presented is true when the server sent the root itself.
	Presented bool `json:"presented"`
	// FirstRelease and FirstDate name the oldest release read that held
	// it; FirstIsOldestRead says no older release was read, so it may have
	// been included long before.
	FirstRelease      string    `json:"first_release"`
	FirstDate         time.Time `json:"first_date"`
	FirstIsOldestRead bool      `json:"first_is_oldest_read"`
	// LastRelease and LastDate name the newest release that held it;
	// RemovedRelease and RemovedDate the first one without it.
	LastRelease    string    `json:"last_release"`
	LastDate       time.Time `json:"last_date"`
	RemovedRelease string    `json:"removed_release"`
	RemovedDate    time.Time `json:"removed_date"`
	// DistrustAfter is the distrust-after date Mozilla set on it before
	// the removal, when it had one.
	DistrustAfter *time.Time `json:"distrust_after,omitempty"`
	// Successors are roots of the same organisation in the store today,
	// most alike by name first: what to ask the CA for.
	Successors []string `json:"successors,omitempty"`
}

// StoreInfo describes a trust store as data, for front ends and scripts.
type StoreInfo struct {
	// Name is "mozilla" (embedded), "system", "file", or "client" (the
	// policy's client CAs, for --as client).
	Name string `json:"name"`
	// Module and Version name the Go module the embedded Mozilla roots
	// come from ("golang.org/x/crypto/x509roots/fallback",
	// "v0.0.0-20261030153154-30a33513ff6d"); empty for other stores.
	Module  string `json:"module,omitempty"`
	Version string `json:"version,omitempty"`
	// File is the bundle a system or file store was read from.
	File string `json:"file,omitempty"`
	// Date is the day the roots are from, YYYY-MM-DD: the commit date of
	// the Mozilla bundle's module version, the modification date of the
	// system bundle; empty when unknown, and for a file store (its date
	// says nothing about its roots).
	Date string `json:"date,omitempty"`
	// Roots counts the roots of the store.
	Roots int `json:"roots"`
	// Skipped counts the certificates of a bundle that did not parse and
	// were left out.
	Skipped int `json:"skipped,omitempty"`
}

// CandidatePath is one certification path the engine judged and did not
// choose.
type CandidatePath struct {
	// Path lists the presented positions on it, leaf first.
	Path []int `json:"path"`
	// Summary draws it: "#0 → #1 → store root CN=…".
	Summary string `json:"summary"`
	Valid   bool   `json:"valid"`
	// Reason says why it fails, when it does.
	Reason string `json:"reason,omitempty"`
}

// Check is the outcome of one rule of the policy.
type Check struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Fix says what to change; set when Status is fail or warn.
	Fix string `json:"fix"`
}

// Failed counts the checks with [StatusFail].
func (r *Report) Failed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == StatusFail {
			n++
		}
	}
	return n
}

// Check returns the check with the given id, or false.
func (r *Report) Check(id string) (Check, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// FixedChain is the repaired chain of a target, as --fix-chain writes it:
// the leaf, then each issuer along the path to the store root, the root
// left out (RFC 5246 §7.4.2: "the self-signed certificate that specifies
// the root certificate authority MAY be omitted").
type FixedChain struct {
	// File is where it was (or was to be) written; Written says whether it
	// was.
	File    string `json:"file,omitempty"`
	Written bool   `json:"written"`
	// Certificates are the new file's, leaf first, with their origin.
	Certificates []FixedCertificate `json:"certificates"`
	// Dropped are the presented certificates left out, and why.
	Dropped []DroppedCertificate `json:"dropped,omitempty"`
	// Fetches are the caIssuers URLs fetched and what came of each.
	Fetches []Fetch `json:"fetches,omitempty"`
	// Verdict and Checks are the new chain judged again, as a file under
	// the same policy, store, server name and time; a chain whose verdict
	// is fail is never written.
	Verdict Verdict `json:"verdict"`
	Checks  []Check `json:"checks"`
	// Error says why the chain was not written.
	Error string `json:"error,omitempty"`
}

// FixedCertificate is one certificate of the repaired chain.
type FixedCertificate struct {
	Subject string `json:"subject"`
	Name    string `json:"name"`
	SHA256  string `json:"sha256"`
	// Source says where it came from: "presented #2",
	// "--intermediates bundle.pem", "caIssuers http://…/ca.crt".
	Source string `json:"source"`
	// Presented is its position in the chain as presented, -1 when it was
	// not presented.
	Presented int `json:"presented"`
}

// DroppedCertificate is a presented certificate the repaired chain leaves
// out.
type DroppedCertificate struct {
	Position int    `json:"position"`
	Name     string `json:"name"`
	Why      string `json:"why"`
}

// Fetch is one caIssuers fetch.
type Fetch struct {
	URL string `json:"url"`
	// For names the certificate whose issuer was sought.
	For string `json:"for"`
	// Got counts the certificates the response held; Error says why none
	// came.
	Got   int    `json:"got"`
	Error string `json:"error,omitempty"`
}
