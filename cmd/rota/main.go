// Command rota runs the federation's rotation-duty service and its maintenance commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // the time zone database inside the binary: Asia/Shanghai works on any host

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

const usage = `rota — 工商联执委会轮值活动管理 (rotation-duty service)

用法 usage: rota [--config config.yaml] <命令 command> [参数 flags]

命令 commands:
  serve     启动服务 (start the web service)
  migrate   升级数据库结构 (apply database migrations)
  import    导入执委会名单 .xlsx/.csv (import the roster)
  export    导出执委会名单 (export the roster)
  plan      编排轮值组与值月 (plan rotation groups and duty months)
  user      管理登录账户 (manage sign-in accounts: rota user add --admin NAME)
  version   显示版本 (print the version)

每个命令的参数：rota <命令> --help
`

// cliEnv is what every sub-command gets.
type cliEnv struct {
	cfg    *Config
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	lang   locale.Lang
	// openDB opens the configured database and applies pending migrations.
	openDB func(ctx context.Context) (*models.DB, error)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Environ()))
}

// run is main without the process: tests call it with their own arguments and writers.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, environ []string) int {
	fs := flag.NewFlagSet("rota", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	configPath := fs.String("config", "config.yaml", "配置文件 (config file)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	if cmd == "version" {
		fmt.Fprintln(stdout, "rota", version())
		return 0
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	env := &cliEnv{stdout: stdout, stderr: stderr, lang: locale.ZH, log: slog.New(slog.NewTextHandler(stderr, nil))}
	loadCfg := func() error {
		cfg, err := loadConfig(*configPath, explicit, environ)
		if err != nil {
			return err
		}
		env.cfg, env.log, env.lang = cfg, newLogger(cfg, stderr), locale.Lang(cfg.Lang)
		return nil
	}
	env.openDB = func(ctx context.Context) (*models.DB, error) {
		if env.cfg == nil {
			if err := loadCfg(); err != nil {
				return nil, err
			}
		}
		return openDB(ctx, env.cfg, env.log)
	}
	// Planning from a file needs no configuration or database, so "plan" reads the
	// configuration only when it opens the database.
	if cmd != "plan" {
		if err := loadCfg(); err != nil {
			fmt.Fprintln(stderr, "rota:", err)
			return 1
		}
	}
	var runErr error
	switch cmd {
	case "plan":
		runErr = runPlan(ctx, env, rest)
	case "serve":
		runErr = runServe(ctx, env, rest)
	case "migrate":
		runErr = runMigrate(ctx, env, rest)
	case "user":
		runErr = runUser(ctx, env, rest)
	case "import":
		runErr = runImport(ctx, env, rest)
	case "export":
		runErr = runExport(ctx, env, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "rota: 未知命令 %q (unknown command)\n\n%s", cmd, usage)
		return 2
	}
	return exitCode(stderr, runErr)
}

// errUsage marks a bad command line; the sub-command has already printed why.
var errUsage = errors.New("usage")

func exitCode(stderr io.Writer, err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "rota:", err)
	return 1
}

func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB opens the configured database, applies pending migrations, and refuses a
// database whose schema is newer than this binary.
func openDB(ctx context.Context, cfg *Config, log *slog.Logger) (*models.DB, error) {
	db, err := models.Open(ctx, cfg.DBConfig(), log)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	cur, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	if cur != latest {
		_ = db.Close()
		return nil, fmt.Errorf("数据库结构版本 %d 与程序版本 %d 不符，请升级程序 (schema version %d, binary knows %d)", cur, latest, cur, latest)
	}
	return db, nil
}

func runMigrate(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	db, err := models.Open(ctx, env.cfg.DBConfig(), env.log)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	cur, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已应用 %d 个迁移，数据库结构版本 %d (applied %d migrations; schema version %d)\n", n, cur, n, cur)
	return nil
}

// version is the module version stamped by the build, or the VCS revision.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
