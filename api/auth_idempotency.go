package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// idempotencyHeader lets a client retry a POST safely: the first request with a key runs, and a
// repeat with the same key and the same body gets the stored response (for 24 hours) without
// running again; the same key with a different body is a 409. Keys are per account. Failed
// requests (non-2xx) are not stored, so they can be retried with the same key.
const idempotencyHeader = "Idempotency-Key"

// noIdempotency are POST routes whose responses carry a secret shown once (a token, a generated
// password) and must not be stored; they ignore the header.
var noIdempotency = map[string]bool{
	"/api/v1/auth/tokens":           true,
	"/api/v1/auth/password":         true,
	"/api/v1/auth/logout":           true,
	"/api/v1/accounts":              true,
	"/api/v1/accounts/:id/password": true,
}

func (s *Server) idempotency(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		key := req.Header.Get(idempotencyHeader)
		if key == "" || req.Method != http.MethodPost || noIdempotency[c.Path()] {
			return next(c)
		}
		if len(key) > 200 || !printableASCII(key) {
			return models.Invalid(models.FieldError{Field: idempotencyHeader, Key: "idempotency.key_invalid"})
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return jsonError(err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.New()
		_, _ = io.WriteString(sum, req.Method+" "+req.URL.RequestURI()+"\n")
		sum.Write(body)
		hash := hex.EncodeToString(sum.Sum(nil))
		ctx := req.Context()
		accountID := principal(c).AccountID
		stored, err := s.db.BeginIdempotent(ctx, accountID, key, hash)
		if err != nil {
			return err
		}
		if stored != nil {
			h := c.Response().Header()
			for k, v := range map[string]string{echo.HeaderContentType: stored.ContentType, echo.HeaderLocation: stored.Location, "ETag": stored.ETag} {
				if v != "" {
					h.Set(k, v)
				}
			}
			h.Set("Idempotent-Replayed", "true")
			return c.Blob(stored.Status, stored.ContentType, []byte(stored.Body))
		}
		rec := &teeWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		err = next(c)
		c.Response().Writer = rec.ResponseWriter
		// The outcome is recorded even if the client has gone: that is when a retry comes.
		bg := context.WithoutCancel(ctx)
		status := c.Response().Status
		if err != nil || !c.Response().Committed || status < 200 || status > 299 {
			if aerr := s.db.AbandonIdempotent(bg, accountID, key); aerr != nil {
				s.log.Error("idempotency key not released", "err", aerr)
			}
			return err
		}
		h := c.Response().Header()
		if ferr := s.db.FinishIdempotent(bg, accountID, key, models.IdempotentResponse{Status: status,
			ContentType: h.Get(echo.HeaderContentType), Location: h.Get(echo.HeaderLocation), ETag: h.Get("ETag"),
			Body: rec.buf.String()}); ferr != nil {
			s.log.Error("idempotent response not stored", "err", ferr)
		}
		return nil
	}
}

// teeWriter keeps a copy of what a handler writes.
type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
