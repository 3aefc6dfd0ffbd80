package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gsl/rota/models"
)

// The way into an empty installation: `rota user add --admin NAME` prints a password once,
// and that password signs in.
func TestUserAddAdmin(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "rota.db")
	env := []string{"ROTA_DATABASE_DSN=" + dsn, "ROTA_LOG_LEVEL=warn", "ROTA_DEMO=false"}
	cfg := writeFile(t, "rota.yaml", "")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--config", cfg, "user", "add", "--admin", "Secretary"}, &out, &errOut, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "不会再次显示") {
		t.Fatalf("no password shown:\n%s", out.String())
	}
	db, err := models.Open(context.Background(), models.DBConfig{Driver: models.DriverSQLite, DSN: dsn}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Login(context.Background(), "secretary", m[1], "127.0.0.1", "test")
	if err != nil || s.Account.Role != models.AccountAdmin {
		t.Fatalf("sign in with the printed password: %v", err)
	}
	// A second account with the same name is refused with the reason, in Chinese.
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"--config", cfg, "user", "add", "--admin", "secretary"}, &out, &errOut, env); code != 1 ||
		!strings.Contains(errOut.String(), "已被使用") {
		t.Fatalf("duplicate: exit %d %s", code, errOut.String())
	}
}
