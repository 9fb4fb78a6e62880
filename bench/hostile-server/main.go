// Command hostile-server serves one of the misbehaving TLS servers of
// chainscope/internal/hostile on 127.0.0.1, for bench/hostile.sh and for
// trying chainscope by hand. It prints the listening address on stdout, one
// line, and serves until it is interrupted or terminated.
//
//	go run ./bench/hostile-server -list
//	go run ./bench/hostile-server -scenario endless-records
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"chainscope/internal/hostile"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hostile-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("scenario", "", "the scenario to serve (see -list)")
	list := fs.Bool("list", false, "print the scenario names, one a line, and exit")
	describe := fs.Bool("describe", false, "with -list, print each name, a tab and its description")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *list {
		for _, s := range hostile.Scenarios() {
			if *describe {
				fmt.Fprintf(stdout, "%s\t%s\n", s.Name, s.Description)
			} else {
				fmt.Fprintln(stdout, s.Name)
			}
		}
		return 0
	}
	s, ok := hostile.Lookup(*name)
	if !ok {
		fmt.Fprintf(stderr, "hostile-server: error: unknown scenario %q\nhostile-server: hint: -list prints the scenarios\n", *name)
		return 2
	}
	addr, stop, err := hostile.Listen(s)
	if err != nil {
		fmt.Fprintf(stderr, "hostile-server: error: %v\n", err)
		return 1
	}
	defer stop()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	fmt.Fprintln(stdout, addr)
	<-ctx.Done()
	return 0
}
