package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// checkListenAddr says in plain words what is wrong with an address to
// listen on (the argument of listen, --listen of serve): HOST:PORT or
// :PORT, HOST empty (every address), an IP literal or a name, PORT a
// number from 0 (a free port) to 65535 or a service name of
// /etc/services, as net.Listen takes them. It returns a usageError, or
// nil when net.Listen may try it; nothing is resolved or dialled here.
// what names the address in the message ("--listen", "address").
func checkListenAddr(what, addr string) error {
	bad := func(format string, a ...any) error {
		return usageError{
			msg:  fmt.Sprintf("%s %q: ", what, addr) + fmt.Sprintf(format, a...),
			hint: "give HOST:PORT or :PORT, e.g. 127.0.0.1:8443 or :8443 (every address)",
		}
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		var ae *net.AddrError
		if errors.As(err, &ae) && ae.Err == "missing port in address" {
			if _, nerr := strconv.Atoi(addr); nerr == nil {
				return bad("no port; for port %s on every address give :%s", addr, addr)
			}
			return bad("no port")
		}
		return bad("not HOST:PORT (an IPv6 address goes in brackets: [::1]:8443)")
	}
	switch n, err := strconv.Atoi(port); {
	case port == "":
		return bad("no port")
	case err == nil && (n < 0 || n > 65535):
		return bad("port %s: want a number from 0 to 65535 (0 picks a free one)", port)
	case err != nil && strings.Trim(port, "0123456789") == "":
		return bad("port %s: want a number from 0 to 65535", port)
	case err != nil:
		if _, lerr := net.LookupPort("tcp", port); lerr != nil {
			return bad("port %q: not a number, nor a service name of /etc/services", port)
		}
	}
	h := host
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i] // an IPv6 zone: fe80::1%eth0
	}
	if h != "" && net.ParseIP(h) == nil && strings.Trim(h, "0123456789.") == "" {
		return bad("%s is not an IP address", host)
	}
	return nil
}

// listenFailed reports why net.Listen failed on addr, once and in plain
// words, with what to try (flagHint says how to give another address),
// and returns exitError: the address was well formed, the machine would
// not let it be used.
func listenFailed(stderr io.Writer, addr, flagHint string, err error) int {
	msg, hint := fmt.Sprintf("cannot listen on %s: %v", addr, err), flagHint
	var dns *net.DNSError
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		msg = fmt.Sprintf("cannot listen on %s: the port is in use by another program", addr)
		hint = flagHint + ", or stop the program that holds it (ss -ltnp shows it)"
	case errors.Is(err, syscall.EACCES), errors.Is(err, os.ErrPermission):
		msg = fmt.Sprintf("cannot listen on %s: ports below 1024 need root (or CAP_NET_BIND_SERVICE)", addr)
		hint = flagHint + ": a port from 1024 up"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		msg = fmt.Sprintf("cannot listen on %s: that IP address is not one of this machine's", addr)
		hint = flagHint + ": one of this machine's addresses (ip -brief address lists them), or none for all of them (:PORT)"
	case errors.As(err, &dns):
		msg = fmt.Sprintf("cannot listen on %s: the host name does not resolve", addr)
		hint = flagHint + ": an IP address of this machine, or none for all of them (:PORT)"
	}
	fmt.Fprintf(stderr, "chainscope: error: %s\nchainscope: hint: %s\n", msg, hint)
	return exitError
}
