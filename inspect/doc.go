// Package inspect is chainscope's engine: it judges a TLS endpoint, or a
// certificate chain from a file, the way a strict sender would, and returns
// everything it found as one plain [Report].
//
// # Pipeline
//
// An inspection runs target → handshake → chain → checks → [Report]:
//
//   - Target: [ParseTarget] turns a command-line argument into a [Target]:
//     a live endpoint (host, host:port, [ipv6]:port, https URL), a PEM or
//     DER file, or standard input.
//   - Handshake: for a live endpoint, the policy's own TLS 1.2 ClientHello
//     (built byte by byte in package wire, so it can offer suites Go's
//     crypto/tls cannot speak) reads the ServerHello, Certificate and
//     CertificateRequest in clear; more ClientHellos probe each protocol
//     version. Files skip this step (package certfile reads them).
//   - Chain: the certificates exactly as presented are analysed by
//     signature — who issued whom, which is the leaf, the path towards a
//     root of the trust store (package trust) — without reordering them.
//   - Checks: each rule of the policy (package policy) becomes one [Check]
//     with a status, a detail naming the certificates concerned and a fix a
//     person can act on, in the order of [CheckIDs].
//   - Report: the verdict is fail exactly when a check fails; an inspection
//     that could not run at all returns an error and a report whose verdict
//     is error.
//
// # Files
//
// Each file holds one concern and uses only files below it
// (TestFilesDependOneWay keeps it so). From the bottom: report.go (the
// [Report] types), options.go, target.go, names.go (sentence helpers);
// errors.go (the errors callers branch on); resolve.go (server name and the
// address every probe dials); prober.go (bounded connections, one
// ClientHello each); hellos.go (the policy's ClientHello and the probes');
// canames.go (client-certificate CA names); fullhandshake.go (the complete
// crypto/tls handshake); fatal.go (when probe failures make the inspection
// an error); handshakes.go (the first round of connections); tlsinfo.go
// (the TLS facts and the chain they showed); ciphers.go (enumeration);
// chain.go, certificate.go, checks.go, checks_chain.go, checks_tls.go (the
// analysis and the checks); judge.go (checks into a report); live.go (a
// live endpoint from start to report); inspect.go (the entry points).
//
// # Options
//
// Everything from outside — policy, trust store, clock, dialer, timeouts —
// comes in [Options]; the package keeps no global state.
package inspect
