-- +goose Up
-- The secretariat's corrections to the official holiday schedule, for years the holiday library
-- does not cover yet (the State Council announces each year's schedule only in the autumn before).
CREATE TABLE holiday_overrides (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    day        DATE NOT NULL,
    name       VARCHAR(64) NOT NULL DEFAULT '',
    kind       VARCHAR(32) NOT NULL,
    updated_by VARCHAR(128) NOT NULL DEFAULT '',
    updated_at DATETIME(3) NOT NULL,
    UNIQUE KEY holiday_overrides_day (day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE holiday_overrides;
