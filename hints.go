package main

import (
	"errors"
	"os"
	"strings"
	"syscall"
)

// hints says what to try after an inspection of a target could not run;
// file says whether the target was a file.
func hints(err error, file bool) []string {
	msg := err.Error()
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return []string{"nothing listens there: check the host and port, and that the server runs"}
	case errors.Is(err, os.ErrDeadlineExceeded), strings.Contains(msg, "timeout"), strings.Contains(msg, "deadline"):
		return []string{"the server did not answer in time: check firewalls, or raise --timeout"}
	case errors.Is(err, os.ErrNotExist):
		return []string{"no such file, and not a host name either"}
	case strings.Contains(msg, "no such host"):
		return []string{"the name does not resolve: check its spelling and your DNS"}
	case strings.Contains(msg, "not TLS"):
		return []string{"the port does not speak TLS: is it the HTTP port? HTTPS is usually 443"}
	case file && (strings.Contains(msg, "malformed") || strings.Contains(msg, "no certificate") || strings.Contains(msg, "neither PEM")):
		return []string{"the file should hold PEM blocks (-----BEGIN CERTIFICATE-----) or DER certificates"}
	}
	return nil
}
