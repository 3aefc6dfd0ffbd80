// Command attendance measures the two attendance paths of a running rota server: the
// secretariat's bulk sheet (PUT of 132 rows in one request) and members' self check-ins.
// run.sh starts the server on MariaDB and drives this program; it also creates and drops the
// database and finds a free port, so the script needs nothing but Go.
//
//	attendance -create-db -dsn 'root@tcp(127.0.0.1:3306)/rota_bench'
//	attendance -free-port
//	attendance -url http://127.0.0.1:PORT -user benchadmin -password …
//	attendance -drop-db -dsn 'root@tcp(127.0.0.1:3306)/rota_bench'
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
)

func main() {
	createDB := flag.Bool("create-db", false, "create the database of -dsn (dropping an old one) and exit")
	dropDB := flag.Bool("drop-db", false, "drop the database of -dsn and exit")
	freePort := flag.Bool("free-port", false, "print a free TCP port on 127.0.0.1 and exit")
	dsn := flag.String("dsn", "", "MariaDB DSN with the database name, on loopback")
	base := flag.String("url", "", "the rota server, on loopback")
	user := flag.String("user", "", "an admin account")
	password := flag.String("password", "", "its password")
	n := flag.Int("n", 200, "bulk sheet requests per path")
	rounds := flag.Int("rounds", 5, "check-in rounds: one new activity each, every member checks in once")
	conc := flag.Int("concurrency", 12, "members checking in at once")
	flag.Parse()

	var err error
	switch {
	case *createDB || *dropDB:
		err = manageDB(*dsn, *createDB)
	case *freePort:
		err = printFreePort()
	default:
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		err = run(ctx, *base, *user, *password, *n, *rounds, *conc)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "attendance:", err)
		os.Exit(1)
	}
}

// loopback refuses any host but this machine: the benchmark writes and drops a database.
func loopback(host string) error {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address", host)
	}
	return nil
}

func manageDB(dsn string, create bool) error {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return err
	}
	if err := loopback(cfg.Addr); err != nil {
		return err
	}
	name := cfg.DBName
	if name == "" || strings.ContainsAny(name, "`'\" ;") || !strings.Contains(name, "bench") {
		return fmt.Errorf("refusing database name %q: it must name a bench database", name)
	}
	cfg.DBName = ""
	conn, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
		return err
	}
	if create {
		_, err = conn.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
	}
	return err
}

func printFreePort() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	fmt.Println(l.Addr().(*net.TCPAddr).Port)
	return nil
}

// client speaks to the server as one principal: a bearer token or a cookie session.
type client struct {
	http *http.Client
	base string
	hdr  map[string]string
}

// call sends a JSON request and decodes a JSON answer; any status but want is an error.
func (c *client) call(ctx context.Context, method, path string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range c.hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d: %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// signIn opens a cookie session as a phone's browser does: the cookie and its CSRF token.
func (c *client) signIn(ctx context.Context, user, password string) (*client, error) {
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	req, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := c.http.Post(c.base+"/api/v1/auth/login", "application/json", bytes.NewReader(req))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sign in %s: %d: %s", user, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, &me); err != nil {
		return nil, err
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "rota_session" {
			return &client{http: c.http, base: c.base, hdr: map[string]string{"Cookie": ck.Name + "=" + ck.Value, "X-CSRF-Token": me.CSRFToken}}, nil
		}
	}
	return nil, errors.New("sign in " + user + ": no session cookie")
}

type member struct {
	ID     uint64 `json:"id"`
	Active bool   `json:"active"`
}

type row struct {
	MemberID uint64 `json:"member_id"`
	Status   string `json:"status"`
}

type guest struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

type sheetRequest struct {
	Members []row   `json:"members"`
	Guests  []guest `json:"guests"`
	Version int     `json:"version"`
}

type sheetResponse struct {
	Version int `json:"version"`
	Counts  struct {
		Present     int `json:"present"`
		Attendances int `json:"attendances"`
	} `json:"counts"`
}

// stats are latencies of one measured path and the wall time it took.
type stats struct {
	lat  []time.Duration
	wall time.Duration
}

func (s stats) String() string {
	d := slices.Clone(s.lat)
	slices.Sort(d)
	pct := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(d)))) - 1
		return float64(d[max(i, 0)]) / float64(time.Millisecond)
	}
	return fmt.Sprintf("%d requests, %.1f req/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
		len(d), float64(len(d))/s.wall.Seconds(), pct(0.50), pct(0.99), float64(d[len(d)-1])/float64(time.Millisecond))
}

// newActivity creates a federation-wide meeting under way now, so attendance may be recorded
// and the check-in window is open.
func newActivity(ctx context.Context, admin *client, title string) (uint64, error) {
	now := time.Now()
	var a struct {
		ID uint64 `json:"id"`
	}
	err := admin.call(ctx, "POST", "/api/v1/activities", map[string]any{
		"kind": "federation", "title": title, "status": "scheduled", "location": "福安市工商联大会议室",
		"starts_at": now.Add(-10 * time.Minute).Format(time.RFC3339), "ends_at": now.Add(110 * time.Minute).Format(time.RFC3339),
	}, http.StatusCreated, &a)
	return a.ID, err
}

func run(ctx context.Context, base, user, password string, n, rounds, conc int) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	if err := loopback(u.Host); err != nil {
		return err
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conc + 4}}
	anon := &client{http: hc, base: strings.TrimRight(base, "/")}
	admin, err := anon.signIn(ctx, user, password)
	if err != nil {
		return err
	}
	var list struct {
		Items []member `json:"items"`
	}
	if err := admin.call(ctx, "GET", "/api/v1/members?limit=1000", nil, http.StatusOK, &list); err != nil {
		return err
	}
	var members []member
	for _, m := range list.Items {
		if m.Active {
			members = append(members, m)
		}
	}
	if len(members) < 132 {
		return fmt.Errorf("want the 132 members of the demo federation, found %d", len(members))
	}
	members = members[:132]
	fmt.Printf("roster: %d members; bulk sheets: %d requests per path; check-ins: %d rounds × %d members, concurrency %d\n",
		len(members), n, rounds, len(members), conc)

	bulk, same, err := benchSheets(ctx, admin, members, n)
	if err != nil {
		return err
	}
	fmt.Printf("bulk attendance, 132-row sheet, alternating sheets (each a change): %s\n", bulk)
	fmt.Printf("bulk attendance, 132-row sheet, the same sheet again (idempotent no-op): %s\n", same)

	checkins, err := benchCheckins(ctx, anon, admin, members, rounds, conc)
	if err != nil {
		return err
	}
	fmt.Printf("self check-in (%d members × %d activities, %d at once): %s\n", len(members), rounds, conc,
		strings.Replace(checkins.String(), "req/s", "check-ins/s", 1))
	return nil
}

// benchSheets PUTs two different 132-row sheets in turn, each with the version the last answer
// gave, then the last sheet n times more with a stale version, which the server must answer as
// a no-op.
func benchSheets(ctx context.Context, admin *client, members []member, n int) (bulk, same stats, err error) {
	id, err := newActivity(ctx, admin, "全体执委会议（批量签到基准）")
	if err != nil {
		return
	}
	sheets := [2][]row{}
	for i, m := range members {
		a, b := "present", "present"
		switch {
		case i%7 == 0:
			a = "absent"
		case i%11 == 0:
			a = "excused"
		}
		if i%5 == 0 {
			b = "excused"
		}
		sheets[0] = append(sheets[0], row{m.ID, a})
		sheets[1] = append(sheets[1], row{m.ID, b})
	}
	guests := []guest{{"王主任", "市商务局"}, {"李行长", "福安农商银行"}}
	path := fmt.Sprintf("/api/v1/activities/%d/attendance", id)
	version := 1
	start := time.Now()
	for i := range n {
		var out sheetResponse
		t := time.Now()
		if err = admin.call(ctx, "PUT", path, sheetRequest{sheets[i%2], guests, version}, http.StatusOK, &out); err != nil {
			return
		}
		bulk.lat = append(bulk.lat, time.Since(t))
		if out.Version != version+1 {
			err = fmt.Errorf("sheet %d: version %d after %d: the change was not recorded", i, out.Version, version)
			return
		}
		version = out.Version
	}
	bulk.wall = time.Since(start)
	last := sheetRequest{sheets[(n-1)%2], guests, 1}
	start = time.Now()
	for range n {
		var out sheetResponse
		t := time.Now()
		if err = admin.call(ctx, "PUT", path, last, http.StatusOK, &out); err != nil {
			return
		}
		same.lat = append(same.lat, time.Since(t))
		if out.Version != version {
			err = fmt.Errorf("the same sheet again changed the version: %d → %d", version, out.Version)
			return
		}
	}
	same.wall = time.Since(start)
	return
}

// benchCheckins gives every member an account and a session, then in each round creates an
// activity and has every member check in with its code, conc at a time.
func benchCheckins(ctx context.Context, anon, admin *client, members []member, rounds, conc int) (stats, error) {
	const pw = "bench-member-pass-1"
	sessions := make([]*client, len(members))
	errs := make([]error, len(members))
	parallel(len(members), conc, func(i int) {
		name := fmt.Sprintf("bench_m%03d", i)
		errs[i] = admin.call(ctx, "POST", "/api/v1/accounts", map[string]any{"username": name, "role": "member",
			"member_id": members[i].ID, "password": pw}, http.StatusCreated, nil)
		if errs[i] == nil {
			sessions[i], errs[i] = anon.signIn(ctx, name, pw)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return stats{}, err
	}
	var all stats
	var mu sync.Mutex
	for r := range rounds {
		id, err := newActivity(ctx, admin, fmt.Sprintf("全体执委会议（自助签到基准 %d）", r+1))
		if err != nil {
			return stats{}, err
		}
		var code struct {
			Code string `json:"code"`
		}
		if err := admin.call(ctx, "GET", fmt.Sprintf("/api/v1/activities/%d/checkin-code", id), nil, http.StatusOK, &code); err != nil {
			return stats{}, err
		}
		path := fmt.Sprintf("/api/v1/activities/%d/checkin", id)
		start := time.Now()
		parallel(len(sessions), conc, func(i int) {
			t := time.Now()
			errs[i] = sessions[i].call(ctx, "POST", path, map[string]string{"code": code.Code}, http.StatusOK, nil)
			d := time.Since(t)
			mu.Lock()
			all.lat = append(all.lat, d)
			mu.Unlock()
		})
		all.wall += time.Since(start)
		if err := errors.Join(errs...); err != nil {
			return stats{}, err
		}
		var sheet sheetResponse
		if err := admin.call(ctx, "GET", fmt.Sprintf("/api/v1/activities/%d/attendance", id), nil, http.StatusOK, &sheet); err != nil {
			return stats{}, err
		}
		if sheet.Counts.Present != len(members) {
			return stats{}, fmt.Errorf("round %d: %d present after %d check-ins", r+1, sheet.Counts.Present, len(members))
		}
	}
	return all, nil
}

// parallel runs fn(0..n-1) on conc goroutines.
func parallel(n, conc int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
