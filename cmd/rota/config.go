package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

// Config is every setting of the product. config.yaml documents each with its default;
// each can be overridden by an environment variable named ROTA_ + the upper-cased key
// with dots as underscores (database.dsn → ROTA_DATABASE_DSN).
type Config struct {
	Server struct {
		Addr            string        `koanf:"addr"`
		BaseURL         string        `koanf:"base_url"`
		MaxBodyBytes    int64         `koanf:"max_body_bytes"`
		ShutdownTimeout time.Duration `koanf:"shutdown_timeout"`
	} `koanf:"server"`
	Database struct {
		Driver       string `koanf:"driver"`
		DSN          string `koanf:"dsn"`
		MaxOpenConns int    `koanf:"max_open_conns"`
	} `koanf:"database"`
	TimeZone string `koanf:"time_zone"`
	Lang     string `koanf:"lang"`
	Demo     bool   `koanf:"demo"`
	Log      struct {
		Level  string `koanf:"level"`
		Format string `koanf:"format"`
	} `koanf:"log"`
	Feeds struct {
		AlarmBefore   time.Duration `koanf:"alarm_before"`
		HistoryMonths int           `koanf:"history_months"`
		KeepCancelled time.Duration `koanf:"keep_cancelled"`
		CheckInterval time.Duration `koanf:"check_interval"`
	} `koanf:"feeds"`

	// Location is TimeZone loaded; every date a person reads is computed in it.
	Location *time.Location `koanf:"-"`
}

// defaultConfig matches config.yaml; a missing config file means these.
func defaultConfig() *Config {
	c := &Config{TimeZone: "Asia/Shanghai", Lang: string(locale.ZH), Demo: true}
	c.Server.Addr = ":8080"
	c.Server.BaseURL = "http://localhost:8080"
	c.Server.MaxBodyBytes = 1 << 20
	c.Server.ShutdownTimeout = 10 * time.Second
	c.Database.Driver = models.DriverSQLite
	c.Database.DSN = "data/rota.db"
	c.Log.Level = "info"
	c.Log.Format = "text"
	c.Feeds.AlarmBefore = 24 * time.Hour
	c.Feeds.HistoryMonths = 12
	c.Feeds.KeepCancelled = 30 * 24 * time.Hour
	c.Feeds.CheckInterval = time.Second
	return c
}

// configKeys are the settings a file or the environment may set; anything else is a typo
// that would otherwise be silently ignored.
var configKeys = []string{
	"server.addr", "server.base_url", "server.max_body_bytes", "server.shutdown_timeout",
	"database.driver", "database.dsn", "database.max_open_conns",
	"time_zone", "lang", "demo", "log.level", "log.format",
	"feeds.alarm_before", "feeds.history_months", "feeds.keep_cancelled", "feeds.check_interval",
}

// envName is the environment variable that overrides key.
func envName(key string) string {
	return "ROTA_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// loadConfig reads path (when it exists, or always when required) and then the environment.
func loadConfig(path string, required bool, environ []string) (*Config, error) {
	k := koanf.New(".")
	if _, err := os.Stat(path); err == nil || required {
		if err := k.Load(file.Provider(path), yaml.Parser()); err != nil {
			return nil, fmt.Errorf("配置文件 %s 无法读取 (cannot read config file): %w", path, err)
		}
	}
	byEnv := map[string]string{}
	for _, key := range configKeys {
		byEnv[envName(key)] = key
	}
	err := k.Load(env.Provider(".", env.Opt{
		Prefix:      "ROTA_",
		EnvironFunc: func() []string { return environ },
		TransformFunc: func(name, value string) (string, any) {
			if key, ok := byEnv[name]; ok {
				return key, value
			}
			return "", nil // ROTA_TEST_* and the like belong to others
		},
	}), nil)
	if err != nil {
		return nil, err
	}
	for _, key := range k.Keys() {
		if !slices.Contains(configKeys, key) {
			return nil, fmt.Errorf("配置项 %s 不存在，请检查拼写 (unknown setting %s in %s)", key, key, path)
		}
	}
	cfg := defaultConfig()
	if err := k.UnmarshalWithConf("", cfg, koanf.UnmarshalConf{Tag: "koanf"}); err != nil {
		return nil, fmt.Errorf("配置值类型错误 (a setting has the wrong type): %w", err)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// settingError names the setting and its environment variable, so whoever reads it knows where to fix it.
func settingError(key, value, zh, en string) error {
	return fmt.Errorf("配置项 %s（环境变量 %s）的值 %q 无效：%s (setting %s = %q is invalid: %s)", key, envName(key), value, zh, key, value, en)
}

func (c *Config) validate() error {
	var errs []error
	switch c.Database.Driver {
	case models.DriverSQLite, models.DriverMySQL:
	default:
		errs = append(errs, settingError("database.driver", c.Database.Driver, "应为 sqlite 或 mysql", "must be sqlite or mysql"))
	}
	if strings.TrimSpace(c.Database.DSN) == "" {
		errs = append(errs, settingError("database.dsn", c.Database.DSN, "不能为空", "must not be empty"))
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil || c.TimeZone == "" {
		errs = append(errs, settingError("time_zone", c.TimeZone, "不是有效的时区名（如 Asia/Shanghai）", "not a time zone name such as Asia/Shanghai"))
	}
	c.Location = loc
	if c.Lang != string(locale.ZH) && c.Lang != string(locale.EN) {
		errs = append(errs, settingError("lang", c.Lang, "应为 zh-CN 或 en", "must be zh-CN or en"))
	}
	if c.Server.Addr == "" || !strings.Contains(c.Server.Addr, ":") {
		errs = append(errs, settingError("server.addr", c.Server.Addr, "应为 主机:端口，如 :8080", "must be host:port such as :8080"))
	}
	if !strings.HasPrefix(c.Server.BaseURL, "http://") && !strings.HasPrefix(c.Server.BaseURL, "https://") {
		errs = append(errs, settingError("server.base_url", c.Server.BaseURL, "应以 http:// 或 https:// 开头", "must start with http:// or https://"))
	}
	c.Server.BaseURL = strings.TrimRight(c.Server.BaseURL, "/")
	if c.Server.MaxBodyBytes < 1024 || c.Server.MaxBodyBytes > 64<<20 {
		errs = append(errs, settingError("server.max_body_bytes", fmt.Sprint(c.Server.MaxBodyBytes), "应在 1024 到 67108864 之间", "must be between 1024 and 67108864"))
	}
	if c.Server.ShutdownTimeout <= 0 {
		errs = append(errs, settingError("server.shutdown_timeout", c.Server.ShutdownTimeout.String(), "应为正的时长，如 10s", "must be a positive duration such as 10s"))
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level) {
		errs = append(errs, settingError("log.level", c.Log.Level, "应为 debug、info、warn 或 error", "must be debug, info, warn or error"))
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		errs = append(errs, settingError("log.format", c.Log.Format, "应为 text 或 json", "must be text or json"))
	}
	errs = append(errs, c.validateFeeds()...)
	return errors.Join(errs...)
}

func (c *Config) validateFeeds() []error {
	var errs []error
	f := c.Feeds
	if f.AlarmBefore < 0 || f.AlarmBefore > 7*24*time.Hour {
		errs = append(errs, settingError("feeds.alarm_before", f.AlarmBefore.String(),
			"应在 0（不提醒）到 168h（7 天）之间，如 24h", "must be between 0 (no reminder) and 168h (7 days), such as 24h"))
	}
	if f.HistoryMonths < 1 || f.HistoryMonths > 120 {
		errs = append(errs, settingError("feeds.history_months", fmt.Sprint(f.HistoryMonths),
			"应为 1 到 120 之间的月数", "must be a number of months between 1 and 120"))
	}
	// Calendars that poll daily (Google's can take longer) must get at least one chance to
	// see a cancellation before it leaves the feed.
	if f.KeepCancelled < 24*time.Hour || f.KeepCancelled > 365*24*time.Hour {
		errs = append(errs, settingError("feeds.keep_cancelled", f.KeepCancelled.String(),
			"应在 24h（1 天）到 8760h（365 天）之间，如 720h", "must be between 24h (1 day) and 8760h (365 days), such as 720h"))
	}
	if f.CheckInterval < time.Second || f.CheckInterval > time.Hour {
		errs = append(errs, settingError("feeds.check_interval", f.CheckInterval.String(),
			"应在 1s 到 1h 之间", "must be between 1s and 1h"))
	}
	return errs
}

// FeedOptions are the calendar feed settings as the API takes them.
func (c *Config) FeedOptions() api.FeedOptions {
	o := api.FeedOptions{Alarm: c.Feeds.AlarmBefore, HistoryMonths: c.Feeds.HistoryMonths,
		KeepCancelled: c.Feeds.KeepCancelled, CheckInterval: c.Feeds.CheckInterval}
	if o.Alarm == 0 {
		o.Alarm = -1 // the API reads zero as "the default"; here 0 means no reminder
	}
	return o
}

// DBConfig is the database part of the settings.
func (c *Config) DBConfig() models.DBConfig {
	return models.DBConfig{Driver: c.Database.Driver, DSN: c.Database.DSN, MaxOpenConns: c.Database.MaxOpenConns, Location: c.Location}
}
