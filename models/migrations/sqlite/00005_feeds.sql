-- +goose Up
-- Secret calendar-feed URLs. Only the SHA-256 of a token is stored; active_scope holds the
-- scope ("member:12", "group:5", "federation") while the token is live and NULL once it is
-- revoked, so the unique index allows one live token per scope on both engines.
CREATE TABLE feed_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    member_id    INTEGER REFERENCES members (id) ON DELETE CASCADE,
    group_id     INTEGER REFERENCES plan_groups (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    active_scope TEXT UNIQUE,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    revoked_at   DATETIME,
    revoked_by   TEXT NOT NULL DEFAULT '',
    last_used_at DATETIME
);
CREATE INDEX feed_tokens_member ON feed_tokens (member_id);
CREATE INDEX feed_tokens_group ON feed_tokens (group_id);

-- +goose Down
DROP TABLE feed_tokens;
