-- +goose Up
-- Secret calendar-feed URLs. Only the SHA-256 of a token is stored; active_scope holds the
-- scope ("member:12", "group:5", "federation") while the token is live and NULL once it is
-- revoked, so the unique index allows one live token per scope on both engines.
CREATE TABLE feed_tokens (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind         VARCHAR(16) NOT NULL,
    member_id    BIGINT UNSIGNED NULL,
    group_id     BIGINT UNSIGNED NULL,
    token_hash   CHAR(64) NOT NULL,
    active_scope VARCHAR(64) NULL,
    created_by   VARCHAR(64) NOT NULL DEFAULT '',
    created_at   DATETIME(3) NOT NULL,
    revoked_at   DATETIME(3) NULL,
    revoked_by   VARCHAR(64) NOT NULL DEFAULT '',
    last_used_at DATETIME(3) NULL,
    UNIQUE KEY feed_tokens_hash (token_hash),
    UNIQUE KEY feed_tokens_active_scope (active_scope),
    KEY feed_tokens_member (member_id),
    KEY feed_tokens_group (group_id),
    CONSTRAINT fk_feed_tokens_member FOREIGN KEY (member_id) REFERENCES members (id) ON DELETE CASCADE,
    CONSTRAINT fk_feed_tokens_group FOREIGN KEY (group_id) REFERENCES plan_groups (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE feed_tokens;
