package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConfigDefaultsMatchConfigYAML(t *testing.T) {
	// The shipped config.yaml documents the defaults; loading it must give exactly the built-in defaults.
	fromFile, err := loadConfig("../../config.yaml", true, nil)
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := loadConfig(filepath.Join(t.TempDir(), "absent.yaml"), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fromFile.Server != builtin.Server || fromFile.Database != builtin.Database || fromFile.TimeZone != builtin.TimeZone ||
		fromFile.Lang != builtin.Lang || fromFile.Demo != builtin.Demo || fromFile.Log != builtin.Log ||
		fromFile.Feeds != builtin.Feeds {
		t.Fatalf("config.yaml and built-in defaults differ:\n%+v\n%+v", fromFile, builtin)
	}
	if builtin.Location.String() != "Asia/Shanghai" || builtin.Database.Driver != "sqlite" || builtin.Server.Addr != ":8080" {
		t.Fatalf("unexpected defaults: %+v", builtin)
	}
}

func TestConfigEnvironmentOverrides(t *testing.T) {
	path := writeFile(t, "c.yaml", "database:\n  driver: sqlite\n  dsn: a.db\nserver:\n  shutdown_timeout: 3s\n")
	cfg, err := loadConfig(path, true, []string{
		"ROTA_DATABASE_DRIVER=mysql", "ROTA_DATABASE_DSN=u:p@tcp(127.0.0.1:3306)/rota",
		"ROTA_SERVER_MAX_BODY_BYTES=2048", "ROTA_DEMO=false", "ROTA_TEST_MYSQL_DSN=ignored", "PATH=/bin",
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database.Driver != "mysql" || cfg.Database.DSN != "u:p@tcp(127.0.0.1:3306)/rota" ||
		cfg.Server.MaxBodyBytes != 2048 || cfg.Demo || cfg.Server.ShutdownTimeout != 3*time.Second {
		t.Fatalf("overrides not applied: %+v", cfg)
	}
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	cases := []struct {
		name, yaml string
		env        []string
		want       []string
	}{
		{"bad driver", "database:\n  driver: postgres\n", nil, []string{"database.driver", "ROTA_DATABASE_DRIVER", "postgres"}},
		{"bad driver from env", "", []string{"ROTA_DATABASE_DRIVER=oracle"}, []string{"database.driver", "oracle"}},
		{"bad zone", "time_zone: Mars/Olympus\n", nil, []string{"time_zone", "Mars/Olympus"}},
		{"typo key", "databse:\n  driver: sqlite\n", nil, []string{"databse.driver", "不存在"}},
		{"bad number", "", []string{"ROTA_SERVER_MAX_BODY_BYTES=lots"}, []string{"max_body_bytes"}},
		{"bad duration", "server:\n  shutdown_timeout: soon\n", nil, []string{"shutdown_timeout"}},
		{"bad base url", "server:\n  base_url: localhost\n", nil, []string{"server.base_url"}},
		{"empty dsn", "database:\n  dsn: \"\"\n", nil, []string{"database.dsn"}},
		{"bad yaml", "server: [\n", nil, []string{"无法读取"}},
		{"negative alarm", "feeds:\n  alarm_before: -1h\n", nil, []string{"feeds.alarm_before", "ROTA_FEEDS_ALARM_BEFORE", "-1h"}},
		{"alarm too early", "", []string{"ROTA_FEEDS_ALARM_BEFORE=720h"}, []string{"feeds.alarm_before", "168h"}},
		{"no history", "feeds:\n  history_months: 0\n", nil, []string{"feeds.history_months", "ROTA_FEEDS_HISTORY_MONTHS"}},
		{"history not a number", "", []string{"ROTA_FEEDS_HISTORY_MONTHS=a year"}, []string{"history_months"}},
		{"cancelled gone at once", "feeds:\n  keep_cancelled: 1h\n", nil, []string{"feeds.keep_cancelled", "24h"}},
		{"keep_cancelled in days", "feeds:\n  keep_cancelled: 30d\n", nil, []string{"keep_cancelled"}},
		{"check every request", "", []string{"ROTA_FEEDS_CHECK_INTERVAL=10ms"}, []string{"feeds.check_interval", "ROTA_FEEDS_CHECK_INTERVAL", "1s"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadConfig(writeFile(t, "c.yaml", c.yaml), true, c.env)
			if err == nil {
				t.Fatal("loaded a wrong setting without complaint")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestMissingExplicitConfigFails(t *testing.T) {
	if _, err := loadConfig(filepath.Join(t.TempDir(), "nope.yaml"), true, nil); err == nil {
		t.Fatal("an explicitly named config file that does not exist must stop start-up")
	}
}

func TestConfigFeedSettings(t *testing.T) {
	cfg, err := loadConfig(writeFile(t, "c.yaml", "feeds:\n  alarm_before: 2h\n  history_months: 6\n"), true,
		[]string{"ROTA_FEEDS_KEEP_CANCELLED=168h", "ROTA_FEEDS_CHECK_INTERVAL=5s"})
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.FeedOptions()
	if o.Alarm != 2*time.Hour || o.HistoryMonths != 6 || o.KeepCancelled != 7*24*time.Hour || o.CheckInterval != 5*time.Second {
		t.Fatalf("feed settings not applied: %+v", o)
	}
	// 0 in the file means no reminder; the API reads a zero Alarm as "the default", so it must
	// not get one.
	cfg, err = loadConfig(writeFile(t, "c.yaml", "feeds:\n  alarm_before: 0s\n"), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := cfg.FeedOptions(); o.Alarm >= 0 {
		t.Fatalf("alarm_before: 0 gives Alarm %v, want reminders off (negative)", o.Alarm)
	}
}
