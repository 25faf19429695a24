package fault_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/fault"
)

var errTaken = fault.New(fault.Conflict, "label_taken", "label already used", "You already have that label.")

func TestWrappedFaultKeepsValueKindAndCode(t *testing.T) {
	err := fmt.Errorf("create credential: %w", errTaken)
	if !errors.Is(err, errTaken) {
		t.Fatal("errors.Is lost the value")
	}
	if !errors.Is(err, fault.Conflict) || errors.Is(err, fault.NotFound) {
		t.Fatal("errors.Is does not match the kind, or matches another")
	}
	f, ok := fault.As(err)
	if !ok || f.Code != "label_taken" || f.Public() != "You already have that label." {
		t.Fatalf("As = %+v, %v", f, ok)
	}
	if err.Error() != "create credential: label already used" {
		t.Fatalf("Error() = %q", err.Error())
	}
	if fault.KindOf(err) != fault.Conflict {
		t.Fatalf("KindOf = %v", fault.KindOf(err))
	}
}

func TestInvalidf(t *testing.T) {
	err := fmt.Errorf("x: %w", fault.Invalidf("role is %s or %s", "user", "admin"))
	f, ok := fault.As(err)
	if !ok || f.Kind != fault.Invalid || f.Code != fault.CodeInvalid || f.Public() != "role is user or admin" || f.Error() != "role is user or admin" {
		t.Fatalf("As = %+v, %v", f, ok)
	}
	var target *fault.Error
	if !errors.As(err, &target) || target != f {
		t.Fatal("errors.As does not find the fault")
	}
}

func TestNoFaultIsInternal(t *testing.T) {
	err := fmt.Errorf("read: %w", io.EOF)
	if _, ok := fault.As(err); ok || fault.KindOf(err) != 0 || fault.KindOf(nil) != 0 {
		t.Fatal("a plain error is a fault")
	}
	if errors.Is(err, fault.Kind(0)) || errors.Is(fault.New(0, "x", "x", ""), fault.Kind(0)) {
		t.Fatal("the zero kind matches")
	}
	if fault.NotFound.Error() != "not found" || fault.Kind(99).Error() != "kind 99" {
		t.Fatal("kind names")
	}
}
