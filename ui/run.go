package ui

import (
	"context"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"chainscope/inspect"
)

// Inspector runs one inspection of the target argument and reports
// progress; supplied by main (it parses and dials — ui never does). It
// returns the report and, when the inspection could not run, the error,
// as [inspect.InspectArg] does. It must honour ctx: the interface cancels
// it when the user quits or inspects the same target again. progress is
// safe for concurrent use and never blocks.
type Inspector func(ctx context.Context, target string, progress func(inspect.Progress)) (inspect.Report, error)

// Config is what the interface needs from main.
type Config struct {
	// Targets are the targets given on the command line, inspected at
	// start; with one, it opens directly, with several, a list shows their
	// verdicts as they arrive.
	Targets []string
	// Inspect inspects one target.
	Inspect Inspector
	// WriteFile writes data to the named file (used by "e"); main passes
	// an os.WriteFile-like func.
	WriteFile func(name string, data []byte) error
	// FixChain repairs the chain of a report for "e" (main passes
	// inspect.Repair with --intermediates and --fetch-intermediates): the
	// leaf, then each issuer along the path, the root left out, judged
	// again; an error means the file must not be written. Without it, "e"
	// writes the presented certificates along the trust path.
	FixChain func(ctx context.Context, r *inspect.Report) (*inspect.FixedChain, []byte, error)
	// Policy and Store name the policy and the trust store in the header
	// before the first report arrives.
	Policy string
	Store  inspect.StoreInfo
	// Feed, when set, delivers reports made elsewhere (chainscope listen:
	// one per client that connects); each joins the list as it arrives,
	// and nothing is inspected from the interface (o and r are off).
	Feed <-chan inspect.Report
	// Waiting is what the empty list says, e.g. "listening on …"; empty
	// means "no targets: press o to inspect one".
	Waiting string
	// NoColor turns colour off whatever the terminal says (--color=never).
	// Without it the colour profile is detected from out and the
	// environment, so NO_COLOR and a non-terminal out are honoured.
	NoColor bool
}

// Run starts the interactive interface on in and out and returns when the
// user quits, with the last report of each target (nil for one still in
// flight, which is cancelled), so main can set the exit status. The program
// writes through a colour-profile writer detected from out and the
// environment, so colours are downgraded or stripped as the terminal and
// NO_COLOR require.
func Run(ctx context.Context, cfg Config, in io.Reader, out io.Writer) ([]*inspect.Report, error) {
	m := NewModel(ctx, cfg)
	defer m.cancel()
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out)}
	if cfg.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	final, err := tea.NewProgram(m, opts...).Run()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err() // stopped from outside (a signal in main, say)
		}
		return nil, fmt.Errorf("run interface: %w", err)
	}
	if fm, ok := final.(*Model); ok {
		m = fm
	}
	reports := make([]*inspect.Report, len(m.targets))
	for i, t := range m.targets {
		if !t.pending {
			reports[i] = t.report
		}
	}
	return reports, nil
}
