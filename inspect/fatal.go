package inspect

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
