package models

import (
	"errors"
	"fmt"

	"github.com/gsl/rota/locale"
)

// Error codes. The API maps each to one HTTP status.
const (
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	EForbidden    = "forbidden"
	EUnauthorized = "unauthorized"
	ETooLarge     = "too_large"
	EInternal     = "internal"
)

// FieldError says what is wrong with one field of a request or one cell of an imported row.
type FieldError struct {
	Field string
	Key   string // translation key
	Args  []any
}

// Message renders the field error in lang.
func (f FieldError) Message(lang locale.Lang) string { return locale.T(lang, f.Key, f.Args...) }

// Error is the application's one error type: a code, a translatable message and,
// for validation failures, the fields at fault.
type Error struct {
	Code   string
	Key    string
	Args   []any
	Fields []FieldError
	Err    error // the cause, logged but never shown for internal errors
}

func (e *Error) Error() string {
	msg := locale.T(locale.EN, e.Key, e.Args...)
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, msg, e.Err)
	}
	return e.Code + ": " + msg
}

// Unwrap exposes the cause to errors.Is/As.
func (e *Error) Unwrap() error { return e.Err }

// Message renders the error's message in lang.
func (e *Error) Message(lang locale.Lang) string { return locale.T(lang, e.Key, e.Args...) }

// Errorf builds an application error with a translation key and its arguments.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid builds a validation error from field errors.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: EInvalid, Key: "error.validation", Fields: fields}
}

// Internal wraps an unexpected error; its detail is logged, never shown.
func Internal(err error) *Error {
	return &Error{Code: EInternal, Key: "error.internal", Err: err}
}

// ErrorCode returns the application code of err, or EInternal for anything else.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}
