package inspect

import "testing"

func TestJoin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		items   []string
		and, or string
	}{
		{nil, "", ""},
		{[]string{"TLS 1.2"}, "TLS 1.2", "TLS 1.2"},
		{[]string{"a and b", "c"}, "a and b and c", "a and b or c"},
		{[]string{"x", "y", "z"}, "x, y and z", "x, y or z"},
	}
	for _, tt := range tests {
		if got := joinAnd(tt.items); got != tt.and {
			t.Errorf("joinAnd(%q) = %q, want %q", tt.items, got, tt.and)
		}
		if got := joinOr(tt.items); got != tt.or {
			t.Errorf("joinOr(%q) = %q, want %q", tt.items, got, tt.or)
		}
	}
}
