package inspect

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when any goroutine outlives the tests: every
// probe, dial and full handshake of an inspection must be done when
// Inspect returns.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
