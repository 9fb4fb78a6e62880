package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"chainscope/inspect"
)

// feedMsg is a report that came from Config.Feed (listen mode: one per
// client); ok is false once the feed is closed.
type feedMsg struct {
	report inspect.Report
	ok     bool
}

// waitFeed is the tea.Cmd that delivers the next report of the feed, or
// nothing once ctx is cancelled.
func waitFeed(ctx context.Context, feed <-chan inspect.Report) tea.Cmd {
	return func() tea.Msg {
		select {
		case r, ok := <-feed:
			return feedMsg{report: r, ok: ok}
		case <-ctx.Done():
			return nil
		}
	}
}

// handleFeed adds a fed report to the list as a finished target, and waits
// for the next one.
func (m *Model) handleFeed(msg feedMsg) tea.Cmd {
	if !msg.ok {
		return nil
	}
	r := msg.report
	m.targets = append(m.targets, target{name: r.Target, report: &r, treeW: contentWidth(&r)})
	return waitFeed(m.ctx, m.cfg.Feed)
}
