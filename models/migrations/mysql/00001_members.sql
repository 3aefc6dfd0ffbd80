-- +goose Up
CREATE TABLE members (
    id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_no          VARCHAR(32) NULL,
    name               VARCHAR(64) NOT NULL,
    gender             VARCHAR(8) NOT NULL DEFAULT '',
    company            VARCHAR(200) NOT NULL DEFAULT '',
    title              VARCHAR(100) NOT NULL DEFAULT '',
    role               VARCHAR(32) NOT NULL,
    industry           VARCHAR(64) NOT NULL DEFAULT '',
    region             VARCHAR(64) NOT NULL DEFAULT '',
    mobile             VARCHAR(20) NULL,
    email              VARCHAR(254) NOT NULL DEFAULT '',
    deputy_level       VARCHAR(16) NOT NULL DEFAULT '',
    cppcc_level        VARCHAR(16) NOT NULL DEFAULT '',
    active             BOOLEAN NOT NULL DEFAULT 1,
    joined_on          DATE NULL,
    left_on            DATE NULL,
    unavailable_months VARCHAR(64) NOT NULL DEFAULT '',
    version            INT NOT NULL DEFAULT 1,
    created_at         DATETIME(3) NOT NULL,
    updated_at         DATETIME(3) NOT NULL,
    UNIQUE KEY members_member_no (member_no),
    UNIQUE KEY members_mobile (mobile),
    KEY members_role (role),
    KEY members_industry (industry),
    KEY members_region (region)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_log (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at          DATETIME(3) NOT NULL,
    actor       VARCHAR(128) NOT NULL,
    action      VARCHAR(64) NOT NULL,
    entity      VARCHAR(64) NOT NULL,
    entity_id   VARCHAR(64) NOT NULL,
    before_json LONGTEXT NULL,
    after_json  LONGTEXT NULL,
    request_id  VARCHAR(64) NOT NULL DEFAULT '',
    KEY audit_log_entity (entity, entity_id),
    KEY audit_log_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE audit_log;
DROP TABLE members;
