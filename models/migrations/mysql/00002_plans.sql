-- +goose Up
CREATE TABLE plans (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    year         INT NOT NULL,
    status       VARCHAR(16) NOT NULL DEFAULT 'draft',
    version      INT NOT NULL DEFAULT 1,
    mode         VARCHAR(16) NOT NULL,
    groups_count INT NOT NULL,
    seed         BIGINT NOT NULL DEFAULT 0,
    params_json  LONGTEXT NOT NULL,
    score_json   LONGTEXT NOT NULL,
    check_json   LONGTEXT NOT NULL,
    created_by   VARCHAR(128) NOT NULL DEFAULT '',
    published_at DATETIME(3) NULL,
    created_at   DATETIME(3) NOT NULL,
    updated_at   DATETIME(3) NOT NULL,
    KEY plans_year (year, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE plan_groups (
    id      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    plan_id BIGINT UNSIGNED NOT NULL,
    number  INT NOT NULL,
    name    VARCHAR(64) NOT NULL,
    UNIQUE KEY plan_groups_number (plan_id, number),
    CONSTRAINT fk_plan_groups_plan FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE plan_group_members (
    id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    plan_id   BIGINT UNSIGNED NOT NULL,
    group_id  BIGINT UNSIGNED NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    is_leader BOOLEAN NOT NULL DEFAULT 0,
    pinned    BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE KEY plan_group_members_member (plan_id, member_id),
    KEY plan_group_members_group (group_id),
    CONSTRAINT fk_pgm_plan FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE CASCADE,
    CONSTRAINT fk_pgm_group FOREIGN KEY (group_id) REFERENCES plan_groups (id) ON DELETE CASCADE,
    CONSTRAINT fk_pgm_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE duty_months (
    id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    plan_id        BIGINT UNSIGNED NOT NULL,
    month          INT NOT NULL,
    group_id       BIGINT UNSIGNED NULL,
    no_duty_reason VARCHAR(200) NOT NULL DEFAULT '',
    category       VARCHAR(32) NOT NULL DEFAULT '',
    proposal_json  LONGTEXT NOT NULL,
    proposed_date  DATE NULL,
    UNIQUE KEY duty_months_month (plan_id, month),
    CONSTRAINT fk_duty_months_plan FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE CASCADE,
    CONSTRAINT fk_duty_months_group FOREIGN KEY (group_id) REFERENCES plan_groups (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE plan_rules (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    plan_id    BIGINT UNSIGNED NOT NULL,
    kind       VARCHAR(16) NOT NULL,
    member_a   BIGINT UNSIGNED NOT NULL,
    member_b   BIGINT UNSIGNED NULL,
    group_no   INT NULL,
    reason     VARCHAR(500) NOT NULL DEFAULT '',
    created_at DATETIME(3) NOT NULL,
    KEY plan_rules_plan (plan_id),
    CONSTRAINT fk_plan_rules_plan FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE CASCADE,
    CONSTRAINT fk_plan_rules_a FOREIGN KEY (member_a) REFERENCES members (id),
    CONSTRAINT fk_plan_rules_b FOREIGN KEY (member_b) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE plan_versions (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    plan_id      BIGINT UNSIGNED NOT NULL,
    version      INT NOT NULL,
    changes_json LONGTEXT NOT NULL,
    created_by   VARCHAR(128) NOT NULL DEFAULT '',
    created_at   DATETIME(3) NOT NULL,
    UNIQUE KEY plan_versions_version (plan_id, version),
    CONSTRAINT fk_plan_versions_plan FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE plan_versions;
DROP TABLE plan_rules;
DROP TABLE duty_months;
DROP TABLE plan_group_members;
DROP TABLE plan_groups;
DROP TABLE plans;
