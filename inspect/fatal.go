package inspect

import "errors"

// allTimedOut returns, when every probe and the full handshake ran out of
// time, the error of the first of them that was tried (the policy's
// handshake when it was), and nil otherwise.
func allTimedOut(probes []probe, full error) error {
	if !timedOut(full) {
		return nil
	}
	for _, pr := range probes {
		if !timedOut(pr.err) {
			return nil
		}
	}
	// The first that was tried: the others may have been skipped for it.
	for _, err := range append([]error{probes[0].err, full}, errs(probes[1:])...) {
		if !errors.Is(err, errSilent) {
			return err
		}
	}
	return probes[0].err
}

func errs(probes []probe) []error {
	out := make([]error, len(probes))
	for i, pr := range probes {
		out[i] = pr.err
	}
	return out
}

// fatalProbeError returns an error when no probe reached a TLS server: the
// connection was refused or timed out, or the port speaks something else.
// An alert from a TLS server, or any ServerHello, is a finding, not a
// failure to inspect.
func fatalProbeError(probes []probe) error {
	var first error
	for _, pr := range probes {
		if pr.err == nil || pr.flight != nil {
			return nil
		}
		if pr.alert() != nil {
			// A TLS server that answered; judged by the checks.
			return nil
		}
		if first == nil {
			first = pr.err
		}
	}
	return first
}
