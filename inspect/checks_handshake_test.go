package inspect

import (
	"testing"
)

func TestDHFinding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		bits int
		want Status
	}{{480, StatusFail}, {511, StatusFail}, {512, StatusWarn}, {1023, StatusWarn}, {1024, StatusWarn}, {2047, StatusWarn}, {2048, ""}, {4096, ""}}
	for _, tt := range tests {
		got := Status("")
		if f := dhFinding(tt.bits); len(f) > 0 {
			got = f[0].status
		}
		if got != tt.want {
			t.Errorf("dhFinding(%d) = %q, want %q", tt.bits, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 262144: "262,144", 16777215: "16,777,215"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRefusingStatus(t *testing.T) {
	t.Parallel()
	for status, want := range map[string]bool{"400 Bad Request": true, "403 Forbidden": true, "496 No Cert": true, "200 OK": false, "204 No Content": false, "404 Not Found": false, "": false} {
		if got := refusingStatus(status); got != want {
			t.Errorf("refusingStatus(%q) = %v, want %v", status, got, want)
		}
	}
}
