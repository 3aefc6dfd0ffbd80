-- +goose Up
-- The secretariat's corrections to the official holiday schedule, for years the holiday library
-- does not cover yet (the State Council announces each year's schedule only in the autumn before).
CREATE TABLE holiday_overrides (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    day        DATE NOT NULL UNIQUE,
    name       TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE holiday_overrides;
