-- +goose Up
CREATE TABLE categories (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT NOT NULL UNIQUE,
    label_zh   TEXT NOT NULL,
    label_en   TEXT NOT NULL,
    builtin    BOOLEAN NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
INSERT INTO categories (code, label_zh, label_en, builtin, created_at, updated_at) VALUES
    ('publicity_training', '宣传培训', 'Publicity & training', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('lecture', '座谈讲座', 'Symposium / lecture', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('site_visit', '参观学习', 'Site visit / study tour', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('research', '调研交流', 'Research & exchange', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('industry_service', '服务产业', 'Industry service', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('charity', '热心公益', 'Charity', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

CREATE TABLE activities (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_year             INTEGER NOT NULL,
    plan_id               INTEGER REFERENCES plans (id) ON DELETE SET NULL,
    group_id              INTEGER REFERENCES plan_groups (id) ON DELETE SET NULL,
    month                 INTEGER,
    kind                  TEXT NOT NULL,
    title                 TEXT NOT NULL,
    theme                 TEXT NOT NULL DEFAULT '',
    category              TEXT REFERENCES categories (code),
    starts_at             DATETIME NOT NULL,
    ends_at               DATETIME NOT NULL,
    all_day               BOOLEAN NOT NULL DEFAULT 0,
    location              TEXT NOT NULL DEFAULT '',
    description           TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL,
    cancel_reason         TEXT NOT NULL DEFAULT '',
    cancelled_at          DATETIME,
    charity_money_fen     INTEGER NOT NULL DEFAULT 0,
    charity_materials_fen INTEGER NOT NULL DEFAULT 0,
    volunteer_hours       INTEGER NOT NULL DEFAULT 0,
    checkin_code          TEXT NOT NULL UNIQUE,
    version               INTEGER NOT NULL DEFAULT 1,
    sequence              INTEGER NOT NULL DEFAULT 0,
    attendance_version    INTEGER NOT NULL DEFAULT 1,
    created_at            DATETIME NOT NULL,
    updated_at            DATETIME NOT NULL
);
CREATE INDEX activities_year ON activities (plan_year, month);
CREATE INDEX activities_group ON activities (group_id);
CREATE INDEX activities_starts ON activities (starts_at);
CREATE INDEX activities_category ON activities (category);

CREATE TABLE activity_organisers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    UNIQUE (activity_id, member_id)
);
CREATE INDEX activity_organisers_member ON activity_organisers (member_id);

CREATE TABLE activity_invitees (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    UNIQUE (activity_id, member_id)
);
CREATE INDEX activity_invitees_member ON activity_invitees (member_id);

CREATE TABLE activity_officials (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL
);
CREATE INDEX activity_officials_activity ON activity_officials (activity_id);

CREATE TABLE activity_publicity (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    link        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_publicity_activity ON activity_publicity (activity_id);

CREATE TABLE activity_outcomes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_outcomes_activity ON activity_outcomes (activity_id);

CREATE TABLE attendance (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id   INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES members (id),
    status        TEXT NOT NULL,
    checked_in_at DATETIME,
    UNIQUE (activity_id, member_id)
);
CREATE INDEX attendance_member ON attendance (member_id);

CREATE TABLE activity_guests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_guests_activity ON activity_guests (activity_id);

-- +goose Down
DROP TABLE activity_guests;
DROP TABLE attendance;
DROP TABLE activity_outcomes;
DROP TABLE activity_publicity;
DROP TABLE activity_officials;
DROP TABLE activity_invitees;
DROP TABLE activity_organisers;
DROP TABLE activities;
DROP TABLE categories;
