-- +goose Up
CREATE TABLE categories (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code       VARCHAR(32) NOT NULL,
    label_zh   VARCHAR(32) NOT NULL,
    label_en   VARCHAR(64) NOT NULL,
    builtin    BOOLEAN NOT NULL DEFAULT 0,
    version    INT NOT NULL DEFAULT 1,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    UNIQUE KEY categories_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO categories (code, label_zh, label_en, builtin, created_at, updated_at) VALUES
    ('publicity_training', '宣传培训', 'Publicity & training', 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
    ('lecture', '座谈讲座', 'Symposium / lecture', 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
    ('site_visit', '参观学习', 'Site visit / study tour', 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
    ('research', '调研交流', 'Research & exchange', 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
    ('industry_service', '服务产业', 'Industry service', 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
    ('charity', '热心公益', 'Charity', 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));

CREATE TABLE activities (
    id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    plan_year             INT NOT NULL,
    plan_id               BIGINT UNSIGNED NULL,
    group_id              BIGINT UNSIGNED NULL,
    month                 INT NULL,
    kind                  VARCHAR(16) NOT NULL,
    title                 VARCHAR(200) NOT NULL,
    theme                 VARCHAR(200) NOT NULL DEFAULT '',
    category              VARCHAR(32) NULL,
    starts_at             DATETIME(3) NOT NULL,
    ends_at               DATETIME(3) NOT NULL,
    all_day               BOOLEAN NOT NULL DEFAULT 0,
    location              VARCHAR(200) NOT NULL DEFAULT '',
    description           TEXT NOT NULL,
    status                VARCHAR(16) NOT NULL,
    cancel_reason         VARCHAR(500) NOT NULL DEFAULT '',
    cancelled_at          DATETIME(3) NULL,
    charity_money_fen     BIGINT NOT NULL DEFAULT 0,
    charity_materials_fen BIGINT NOT NULL DEFAULT 0,
    volunteer_hours       INT NOT NULL DEFAULT 0,
    checkin_code          VARCHAR(32) NOT NULL,
    version               INT NOT NULL DEFAULT 1,
    sequence              INT NOT NULL DEFAULT 0,
    attendance_version    INT NOT NULL DEFAULT 1,
    created_at            DATETIME(3) NOT NULL,
    updated_at            DATETIME(3) NOT NULL,
    UNIQUE KEY activities_checkin_code (checkin_code),
    KEY activities_year (plan_year, month),
    KEY activities_group (group_id),
    KEY activities_starts (starts_at),
    KEY activities_category (category),
    CONSTRAINT fk_activities_plan FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE SET NULL,
    CONSTRAINT fk_activities_group FOREIGN KEY (group_id) REFERENCES plan_groups (id) ON DELETE SET NULL,
    CONSTRAINT fk_activities_category FOREIGN KEY (category) REFERENCES categories (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_organisers (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    activity_id BIGINT UNSIGNED NOT NULL,
    member_id   BIGINT UNSIGNED NOT NULL,
    UNIQUE KEY activity_organisers_pair (activity_id, member_id),
    KEY activity_organisers_member (member_id),
    CONSTRAINT fk_ao_activity FOREIGN KEY (activity_id) REFERENCES activities (id) ON DELETE CASCADE,
    CONSTRAINT fk_ao_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_invitees (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    activity_id BIGINT UNSIGNED NOT NULL,
    member_id   BIGINT UNSIGNED NOT NULL,
    UNIQUE KEY activity_invitees_pair (activity_id, member_id),
    KEY activity_invitees_member (member_id),
    CONSTRAINT fk_ai_activity FOREIGN KEY (activity_id) REFERENCES activities (id) ON DELETE CASCADE,
    CONSTRAINT fk_ai_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_officials (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    activity_id BIGINT UNSIGNED NOT NULL,
    name        VARCHAR(64) NOT NULL,
    body        VARCHAR(100) NOT NULL DEFAULT '',
    level       VARCHAR(32) NOT NULL,
    KEY activity_officials_activity (activity_id),
    CONSTRAINT fk_aof_activity FOREIGN KEY (activity_id) REFERENCES activities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_publicity (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    activity_id BIGINT UNSIGNED NOT NULL,
    channel     VARCHAR(32) NOT NULL,
    link        VARCHAR(500) NOT NULL DEFAULT '',
    KEY activity_publicity_activity (activity_id),
    CONSTRAINT fk_ap_activity FOREIGN KEY (activity_id) REFERENCES activities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_outcomes (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    activity_id BIGINT UNSIGNED NOT NULL,
    kind        VARCHAR(32) NOT NULL,
    text        TEXT NOT NULL,
    link        VARCHAR(500) NOT NULL DEFAULT '',
    KEY activity_outcomes_activity (activity_id),
    CONSTRAINT fk_aoc_activity FOREIGN KEY (activity_id) REFERENCES activities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE attendance (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    activity_id   BIGINT UNSIGNED NOT NULL,
    member_id     BIGINT UNSIGNED NOT NULL,
    status        VARCHAR(16) NOT NULL,
    checked_in_at DATETIME(3) NULL,
    UNIQUE KEY attendance_pair (activity_id, member_id),
    KEY attendance_member (member_id),
    CONSTRAINT fk_att_activity FOREIGN KEY (activity_id) REFERENCES activities (id) ON DELETE CASCADE,
    CONSTRAINT fk_att_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_guests (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    activity_id  BIGINT UNSIGNED NOT NULL,
    name         VARCHAR(64) NOT NULL,
    organisation VARCHAR(200) NOT NULL DEFAULT '',
    KEY activity_guests_activity (activity_id),
    CONSTRAINT fk_ag_activity FOREIGN KEY (activity_id) REFERENCES activities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

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
