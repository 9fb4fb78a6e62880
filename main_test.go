package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a goroutine outlives the tests: the
// headless runner must not leave inspections behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
