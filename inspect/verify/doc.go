// Package verify builds and judges certification paths the way the sender
// does (sender-model.md section 3): from the server's certificate through
// the presented certificates and the store's roots, every candidate issuer
// considered, every candidate path validated by RFC 5280 with the sender's
// rules, the best path chosen and the others kept with their first
// failure.
//
// # Candidates
//
// An issuer of a certificate is a presented certificate or a root of the
// store whose subject is the certificate's issuer name and whose key
// verifies its signature, whatever the algorithm (a refused algorithm is a
// failure of the path, never a missing issuer). A presented certificate
// with a store root's subject and key stands for that root, as verifiers
// treat it. The search is depth-first with backtracking, bounded like
// crypto/x509's buildChains: at most [MaxDepth] certificates on a path,
// [MaxSignatureChecks] signature checks and [MaxPaths] paths.
//
// # Validation
//
// Each path is judged at the evaluation time: validity of every
// certificate, the sender's signature algorithms ([AlgorithmOf]), issuers
// that are CAs with keyCertSign, path length (self-issued certificates not
// counted, RFC 5280 §6.1.4), name constraints (crypto/x509's semantics),
// the serverAuth extended key usage wherever one is listed, unknown critical
// extensions, and the root's own constraint (Mozilla's distrust-after). A
// path that reaches no root of the store fails for that.
//
// # Choice
//
// A valid path first; among failing paths the one whose failure is closest
// to working ([Reason] order: validity, then algorithms, then constraints,
// then distrust, then an untrusted root, then a missing issuer, then a
// loop of cross-signs or the search's bounds); ties go to
// the path that follows the presented order, then the shorter one.
package verify
