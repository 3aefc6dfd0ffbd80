-- +goose Up
CREATE TABLE members (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    member_no          TEXT UNIQUE,
    name               TEXT NOT NULL,
    gender             TEXT NOT NULL DEFAULT '',
    company            TEXT NOT NULL DEFAULT '',
    title              TEXT NOT NULL DEFAULT '',
    role               TEXT NOT NULL,
    industry           TEXT NOT NULL DEFAULT '',
    region             TEXT NOT NULL DEFAULT '',
    mobile             TEXT UNIQUE,
    email              TEXT NOT NULL DEFAULT '',
    deputy_level       TEXT NOT NULL DEFAULT '',
    cppcc_level        TEXT NOT NULL DEFAULT '',
    active             BOOLEAN NOT NULL DEFAULT 1,
    joined_on          DATE,
    left_on            DATE,
    unavailable_months TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX members_role ON members (role);
CREATE INDEX members_industry ON members (industry);
CREATE INDEX members_region ON members (region);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          DATETIME NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    request_id  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_at ON audit_log (at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE members;
