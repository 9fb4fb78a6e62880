package inspect

import (
	"errors"

	"chainscope/inspect/wire"
)

// allTimedOut returns the first probe's error when every probe and the full
// handshake ran out of time, and nil otherwise.
func allTimedOut(probes []probe, full error) error {
	if !timedOut(full) {
		return nil
	}
	for _, pr := range probes {
		if !timedOut(pr.err) {
			return nil
		}
	}
	return probes[0].err
}

// fatalProbeError returns an error when no probe reached a TLS server: the
// connection was refused or timed out, or the port speaks something else.
// An alert from a TLS server is a finding, not a failure to inspect.
func fatalProbeError(probes []probe) error {
	var first error
	for _, pr := range probes {
		if pr.err == nil {
			return nil
		}
		var alert *wire.AlertError
		if errors.As(pr.err, &alert) {
			// A TLS server that answered; judged by the checks.
			return nil
		}
		if first == nil {
			first = pr.err
		}
	}
	return first
}
