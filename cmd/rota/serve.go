package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/demo"
	"github.com/gsl/rota/scheduler"
)

// App is the running service: its database and HTTP server.
type App struct {
	env  *cliEnv
	db   *models.DB
	srv  *fasthttp.Server
	ln   net.Listener
	jobs *scheduler.Jobs
}

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	app := &App{env: env}
	defer app.Close()
	return app.Run(ctx)
}

// Run opens the database, loads the demo federation into an empty one, and serves
// until ctx is cancelled (SIGINT/SIGTERM), then shuts down gracefully.
func (a *App) Run(ctx context.Context) error {
	cfg := a.env.cfg
	db, err := a.env.openDB(ctx)
	if err != nil {
		return err
	}
	a.db = db
	if cfg.Demo {
		n, err := demo.Load(models.WithActor(ctx, models.Actor{Name: "demo"}), db)
		if err != nil {
			return fmt.Errorf("加载演示数据失败 (loading the demo federation): %w", err)
		}
		if n > 0 {
			fmt.Fprintf(a.env.stdout, "已载入演示联合会：%d 名执委会成员 (loaded the demo federation: %d members)\n", n, n)
		}
	}
	server := api.New(db, a.env.log, api.Options{
		BaseURL: cfg.Server.BaseURL, MaxBodyBytes: cfg.Server.MaxBodyBytes, Location: cfg.Location, DefaultLang: a.env.lang,
		Feeds: cfg.FeedOptions(),
	})
	a.ln, err = net.Listen("tcp", cfg.Server.Addr)
	if err != nil {
		return fmt.Errorf("配置项 server.addr 的地址 %s 无法监听 (cannot listen): %w", cfg.Server.Addr, err)
	}
	a.srv = server.HTTPServer(api.HTTPTimeouts{Read: 60 * time.Second, Write: 60 * time.Second, Idle: 120 * time.Second})
	fmt.Fprintf(a.env.stdout, "rota 已启动，监听 %s，访问 %s (listening on %s)\n", a.ln.Addr(), cfg.Server.BaseURL, a.ln.Addr())
	fmt.Fprintf(a.env.stdout, "数据库 database: %s %s\n", cfg.Database.Driver, redactDSN(cfg))
	adminPassword, err := a.firstAdmin(ctx)
	if err != nil {
		return err
	}
	a.printTry(cfg.Server.BaseURL, adminPassword)

	a.jobs = &scheduler.Jobs{DB: db, Log: a.env.log, Loc: cfg.Location}
	if err := a.jobs.Start(); err != nil {
		return err
	}

	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(a.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.env.log.Info("shutting down", "timeout", cfg.Server.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.Server.ShutdownTimeout)
	defer cancel()
	err = a.srv.ShutdownWithContext(sctx)
	a.jobs.Stop(sctx)
	return err
}

// Close releases what Run opened.
func (a *App) Close() error {
	if a.ln != nil {
		_ = a.ln.Close() // a no-op after a shutdown; stops the server if Run returned early
	}
	if a.db != nil {
		return a.db.Close()
	}
	return nil
}

// redactDSN shows where the data lives without printing a password.
func redactDSN(cfg *Config) string {
	if cfg.Database.Driver == models.DriverSQLite {
		return cfg.Database.DSN
	}
	if at := strings.LastIndexByte(cfg.Database.DSN, '@'); at >= 0 {
		return "***" + cfg.Database.DSN[at:]
	}
	return cfg.Database.DSN
}

// printTry shows how to sign in and list the roster with curl; on the first start it uses the
// password just printed, so the commands can be pasted as they are.
func (a *App) printTry(baseURL, password string) {
	if password == "" {
		password = "…"
	}
	w := a.env.stdout
	fmt.Fprintln(w, "试一试 try:")
	fmt.Fprintf(w, "  curl -c cookies.txt -H 'Content-Type: application/json' -d '{\"username\":\"admin\",\"password\":\"%s\"}' %s/api/v1/auth/login\n", password, baseURL)
	fmt.Fprintf(w, "  curl -b cookies.txt %s/api/v1/members\n", baseURL)
}

// firstAdmin creates the admin account on the first start of an empty accounts table and
// prints its random password once (and returns it); later starts only say how to sign in.
func (a *App) firstAdmin(ctx context.Context) (string, error) {
	user, pw, err := a.db.EnsureFirstAdmin(models.WithActor(ctx, models.Actor{Name: "system"}))
	if err != nil {
		return "", fmt.Errorf("创建首个管理员账户失败 (creating the first admin account): %w", err)
	}
	if pw == "" {
		fmt.Fprintln(a.env.stdout, "登录 sign-in: POST /api/v1/auth/login；账户管理 accounts: rota user --help")
		return "", nil
	}
	w := a.env.stdout
	fmt.Fprintln(w, "==================================================================")
	fmt.Fprintln(w, "  已创建首个管理员账户 (created the first admin account)")
	fmt.Fprintf(w, "  用户名 username: %s\n  密码   password: %s\n", user, pw)
	fmt.Fprintln(w, "  此密码只显示这一次，请立即记下并在登录后修改。")
	fmt.Fprintln(w, "  This password is shown only once: write it down and change it after signing in.")
	fmt.Fprintln(w, "  忘记密码 forgot it: rota user passwd admin")
	fmt.Fprintln(w, "==================================================================")
	return pw, nil
}
