package ui

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"chainscope/inspect"
)

// pemView shows the PEM of one presented certificate on the whole body,
// each line as it is in the file (64 columns of base64, never re-wrapped
// to a pane), so that it can be selected and copied as it stands. On a
// screen narrower than the lines it scrolls sideways.
type pemView struct {
	open   bool
	pos    int // the certificate's position
	off    int // first line shown
	xoff   int // first column shown
	h, w   int // the size at the last layout
	widest int // the widest line
}

// show opens the view on the certificate at position pos.
func (v *pemView) show(pos int) {
	*v = pemView{open: true, pos: pos}
}

// lines are the PEM lines of the certificate.
func (v *pemView) lines(r *inspect.Report) []string {
	if r == nil || v.pos < 0 || v.pos >= len(r.Chain) {
		return nil
	}
	return sanitizeLines(r.Chain[v.pos].PEM)
}

// scroll moves the view by dy lines and dx columns.
func (v *pemView) scroll(r *inspect.Report, dy, dx int) {
	n := len(v.lines(r))
	v.off = max(0, min(v.off+dy, n-v.h))
	v.xoff = max(0, min(v.xoff+dx, v.widest-v.w))
}

// sideways reports whether the lines are wider than the screen.
func (v *pemView) sideways() bool { return v.widest > v.w }

// scrolls reports whether the certificate has more lines than the view
// shows (the keys that move up and down do something).
func (v *pemView) scrolls(r *inspect.Report) bool { return len(v.lines(r)) > v.h }

// layout sizes the view for a body of w×h: the lines it shows are h less
// the title and, when the lines are wider than w, the line of hints. The
// keys are chosen from it (situation) before the frame is drawn.
func (v *pemView) layout(r *inspect.Report, w, h int) {
	v.w, v.widest = w, 0
	for _, l := range v.lines(r) {
		v.widest = max(v.widest, ansi.StringWidth(l))
	}
	v.h = max(0, h-1)
	if v.sideways() {
		v.h = max(0, h-2)
	}
	v.scroll(r, 0, 0)
}

// view draws the view into w×h: a title rule naming the certificate, the
// PEM lines, and what the keys do.
func (v *pemView) view(r *inspect.Report, st styles, w, h int) []string {
	lines := v.lines(r)
	v.layout(r, w, h)
	title := "PEM"
	if r != nil && v.pos >= 0 && v.pos < len(r.Chain) {
		c := r.Chain[v.pos]
		title = fmt.Sprintf("PEM · Certificate #%d · %s · %s", v.pos, sanitize(c.Role, 24), sanitize(c.Name, nameWidth))
	}
	out := []string{paneTitle(st, title, w, true)}
	if len(lines) == 0 {
		lines = []string{st.dim.Render("(no PEM in the report: the certificate was not presented)")}
	}
	shown := make([]string, len(lines))
	for i, l := range lines {
		shown[i] = ansi.Cut(l, v.xoff, v.xoff+w)
	}
	out = append(out, window(st, shown, v.off, v.h, "↓ or pgdn")...)
	if !v.sideways() {
		return block(out, w, h)
	}
	hint := fmt.Sprintf("← → columns %d–%d of %d: the lines are wider than the screen", v.xoff+1, min(v.xoff+w, v.widest), v.widest)
	return append(block(out, w, h-1), fit(st.dim.Render(hint), w))
}
