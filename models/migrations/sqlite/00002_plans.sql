-- +goose Up
CREATE TABLE plans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    year         INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft',
    version      INTEGER NOT NULL DEFAULT 1,
    mode         TEXT NOT NULL,
    groups_count INTEGER NOT NULL,
    seed         INTEGER NOT NULL DEFAULT 0,
    params_json  TEXT NOT NULL DEFAULT '{}',
    score_json   TEXT NOT NULL DEFAULT '{}',
    check_json   TEXT NOT NULL DEFAULT '{}',
    created_by   TEXT NOT NULL DEFAULT '',
    published_at DATETIME,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE INDEX plans_year ON plans (year, status);

CREATE TABLE plan_groups (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number  INTEGER NOT NULL,
    name    TEXT NOT NULL,
    UNIQUE (plan_id, number)
);

CREATE TABLE plan_group_members (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id   INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL REFERENCES plan_groups (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id),
    is_leader BOOLEAN NOT NULL DEFAULT 0,
    pinned    BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE (plan_id, member_id)
);
CREATE INDEX plan_group_members_group ON plan_group_members (group_id);

CREATE TABLE duty_months (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id        INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    month          INTEGER NOT NULL,
    group_id       INTEGER REFERENCES plan_groups (id) ON DELETE SET NULL,
    no_duty_reason TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    proposal_json  TEXT NOT NULL DEFAULT '{}',
    proposed_date  DATE,
    UNIQUE (plan_id, month)
);

CREATE TABLE plan_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    member_a   INTEGER NOT NULL REFERENCES members (id),
    member_b   INTEGER REFERENCES members (id),
    group_no   INTEGER,
    reason     TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX plan_rules_plan ON plan_rules (plan_id);

CREATE TABLE plan_versions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    changes_json TEXT NOT NULL DEFAULT '[]',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    UNIQUE (plan_id, version)
);

-- +goose Down
DROP TABLE plan_versions;
DROP TABLE plan_rules;
DROP TABLE duty_months;
DROP TABLE plan_group_members;
DROP TABLE plan_groups;
DROP TABLE plans;
