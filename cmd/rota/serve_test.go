package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer lets the test read what the server prints while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// What a new user sees after `make run`: the server creates its database, loads the demo
// federation, says where it listens, serves 132 members, and stops cleanly on a signal.
func TestServeFirstStart(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	env := []string{"ROTA_DATABASE_DSN=" + filepath.Join(dir, "data", "rota.db"), "ROTA_SERVER_ADDR=" + addr,
		"ROTA_SERVER_BASE_URL=http://" + addr, "ROTA_LOG_LEVEL=warn"}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--config", writeFile(t, "rota.yaml", "# empty: built-in defaults\n"), "serve"}, &out, &errOut, env)
	}()
	defer cancel()

	var list struct {
		Total int `json:"total"`
		Items []struct {
			Role string `json:"role"`
		} `json:"items"`
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := getSignedIn("http://"+addr, out.String(), "/api/v1/members")
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&list)
			resp.Body.Close()
			if err == nil && resp.StatusCode == 200 {
				break
			}
		}
		select {
		case code := <-done:
			t.Fatalf("server exited with %d: %s %s", code, out.String(), errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not answer: %v\n%s\n%s", err, out.String(), errOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if list.Total != 132 || len(list.Items) != 132 {
		t.Fatalf("demo federation: want 132 members listed, got total=%d items=%d", list.Total, len(list.Items))
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "rota.db")); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
	printed := out.String()
	if n := strings.Count(printed, "密码   password:"); n != 1 {
		t.Errorf("the first admin's password should be printed once, not %d times:\n%s", n, printed)
	}
	for _, want := range []string{"http://" + addr, "132", "sqlite"} {
		if !strings.Contains(printed, want) {
			t.Errorf("start-up output does not mention %q:\n%s", want, printed)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("graceful shutdown exited %d: %s", code, errOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop after the signal")
	}
}

func TestServeRefusesBadSetting(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"--config", writeFile(t, "rota.yaml", ""), "serve"}, &out, &errOut,
		[]string{"ROTA_DATABASE_DRIVER=postgres"})
	if code == 0 || !strings.Contains(errOut.String(), "database.driver") {
		t.Fatalf("want a start-up failure naming database.driver, got %d %q", code, errOut.String())
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errOut, nil); code != 2 || !strings.Contains(errOut.String(), "未知命令") {
		t.Fatalf("unknown command: %d %q", code, errOut.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"version"}, &out, &errOut, nil); code != 0 || !strings.HasPrefix(out.String(), "rota ") {
		t.Fatalf("version: %d %q", code, out.String())
	}
}

// import → export → import through the command line is a no-op, and a dry run of a broken file
// names the row and column and writes nothing.
func TestImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	env := []string{"ROTA_DATABASE_DSN=" + filepath.Join(dir, "rota.db"), "ROTA_LOG_LEVEL=warn"}
	cfg := []string{"--config", writeFile(t, "rota.yaml", "# empty: built-in defaults\n")}
	rota := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append(append([]string{}, cfg...), args...), &out, &errOut, env)
		return code, out.String(), errOut.String()
	}
	csv := "姓名,执委会职务,行业,区域/乡镇,手机\n林海,副会长,茶业,社口,13950000001\n陈静,常执委,金融,城阳,13950000002\n"
	src := filepath.Join(dir, "名单.csv")
	if err := os.WriteFile(src, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := rota("import", src); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	xlsx := filepath.Join(dir, "导出.xlsx")
	if code, out, errOut := rota("export", xlsx); code != 0 {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	code, out, errOut := rota("import", xlsx)
	if code != 0 || !strings.Contains(out, "新增 0") || !strings.Contains(out, "更新 0") {
		t.Fatalf("re-importing the export should change nothing: %d\n%s\n%s", code, out, errOut)
	}

	bad := filepath.Join(dir, "bad.csv")
	_ = os.WriteFile(bad, []byte("姓名,执委会职务,手机\n王五,老板,123\n"), 0o644)
	code, out, errOut = rota("import", "--dry-run", bad)
	if code == 0 || !strings.Contains(out+errOut, "第2行") || !strings.Contains(out+errOut, "老板") {
		t.Fatalf("dry run of a bad file: %d\n%s\n%s", code, out, errOut)
	}
	_, out, _ = rota("export", "-")
	if strings.Contains(out, "王五") || strings.Count(out, "\n") != 3 {
		t.Fatalf("the bad file must not have written anything:\n%s", out)
	}
}

// getSignedIn signs in as the first admin with the password serve printed and GETs path.
func getSignedIn(base, printed, path string) (*http.Response, error) {
	m := regexp.MustCompile(`密码   password: (\S+)`).FindStringSubmatch(printed)
	if m == nil {
		return nil, errors.New("no admin password printed yet")
	}
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"username":"admin","password":"`+m[1]+`"}`))
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) == 0 {
		return nil, fmt.Errorf("sign-in: %s", resp.Status)
	}
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.AddCookie(resp.Cookies()[0])
	return http.DefaultClient.Do(req)
}
