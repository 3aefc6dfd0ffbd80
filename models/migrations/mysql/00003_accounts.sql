-- +goose Up
CREATE TABLE accounts (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(64) NOT NULL,
    display_name  VARCHAR(64) NOT NULL DEFAULT '',
    role          VARCHAR(16) NOT NULL,
    member_id     BIGINT UNSIGNED NULL,
    password_hash VARCHAR(255) NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT 1,
    version       INT NOT NULL DEFAULT 1,
    last_login_at DATETIME(3) NULL,
    created_at    DATETIME(3) NOT NULL,
    updated_at    DATETIME(3) NOT NULL,
    UNIQUE KEY accounts_username (username),
    UNIQUE KEY accounts_member (member_id),
    CONSTRAINT fk_accounts_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sessions (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64) NOT NULL,
    account_id BIGINT UNSIGNED NOT NULL,
    csrf_token VARCHAR(64) NOT NULL,
    address    VARCHAR(64) NOT NULL DEFAULT '',
    user_agent VARCHAR(255) NOT NULL DEFAULT '',
    expires_at DATETIME(3) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    UNIQUE KEY sessions_token (token_hash),
    KEY sessions_account (account_id),
    CONSTRAINT fk_sessions_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_tokens (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id   BIGINT UNSIGNED NOT NULL,
    name         VARCHAR(64) NOT NULL,
    token_hash   CHAR(64) NOT NULL,
    prefix       VARCHAR(16) NOT NULL,
    expires_at   DATETIME(3) NOT NULL,
    last_used_at DATETIME(3) NULL,
    revoked_at   DATETIME(3) NULL,
    created_at   DATETIME(3) NOT NULL,
    UNIQUE KEY api_tokens_hash (token_hash),
    KEY api_tokens_account (account_id),
    CONSTRAINT fk_api_tokens_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE login_failures (
    id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    address  VARCHAR(64) NOT NULL,
    at       DATETIME(3) NOT NULL,
    KEY login_failures_username (username, at),
    KEY login_failures_address (address, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE idempotency_keys (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id    BIGINT UNSIGNED NOT NULL,
    idem_key      VARCHAR(200) NOT NULL,
    request_hash  CHAR(64) NOT NULL,
    status        INT NOT NULL DEFAULT 0,
    content_type  VARCHAR(100) NOT NULL DEFAULT '',
    location      VARCHAR(255) NOT NULL DEFAULT '',
    etag          VARCHAR(64) NOT NULL DEFAULT '',
    response_body LONGTEXT NOT NULL,
    created_at    DATETIME(3) NOT NULL,
    UNIQUE KEY idempotency_keys_key (account_id, idem_key),
    KEY idempotency_keys_created (created_at),
    CONSTRAINT fk_idempotency_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE accounts;
