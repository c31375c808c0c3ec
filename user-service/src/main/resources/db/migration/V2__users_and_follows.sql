-- Every physical shard has every table; which rows it holds follows from the shard map.

-- Users live on their own logical shard (the id's 13 shard bits).
CREATE TABLE users (
    id               bigint      PRIMARY KEY,
    username         text        NOT NULL,
    email            text        NOT NULL,
    display_name     text        NOT NULL DEFAULT '',
    bio              text        NOT NULL DEFAULT '',
    password_hash    text        NOT NULL,
    followers_count  bigint      NOT NULL DEFAULT 0 CHECK (followers_count >= 0),
    following_count  bigint      NOT NULL DEFAULT 0 CHECK (following_count >= 0),
    tweet_count      bigint      NOT NULL DEFAULT 0,
    status           text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DELETING')),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- Uniqueness across shards: a claim row on the shard of hash(lower-cased value). The primary
-- key makes exactly one of N concurrent claims win.
CREATE TABLE claims (
    kind             text        NOT NULL CHECK (kind IN ('USERNAME', 'EMAIL')),
    value            text        NOT NULL,
    user_id          bigint      NOT NULL,
    registration_id  uuid        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, value)
);

-- Registration saga state, on the new user's shard.
CREATE TABLE registrations (
    id               uuid        PRIMARY KEY,
    user_id          bigint      NOT NULL,
    username_key     text        NOT NULL,
    email_key        text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('STARTED', 'DONE', 'COMPENSATED')),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registrations_started ON registrations (updated_at) WHERE state = 'STARTED';

-- Follow edges twice: on the follower's shard ...
CREATE TABLE following (
    follower_id      bigint      NOT NULL,
    followee_id      bigint      NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX following_newest ON following (follower_id, created_at DESC, followee_id DESC);

-- ... and on the followee's shard.
CREATE TABLE followers (
    followee_id      bigint      NOT NULL,
    follower_id      bigint      NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (followee_id, follower_id)
);
CREATE INDEX followers_newest ON followers (followee_id, created_at DESC, follower_id DESC);

-- Follow sagas between their two steps, on the follower's shard.
CREATE TABLE follow_sagas (
    follower_id      bigint      NOT NULL,
    followee_id      bigint      NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (follower_id, followee_id)
);

-- Account-deletion sagas, on the user's shard (driven to the end by the account-deletion work).
CREATE TABLE deletions (
    id               uuid        PRIMARY KEY,
    user_id          bigint      NOT NULL UNIQUE,
    state            text        NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Idempotent consumers: one row per (consumer, event) handled.
CREATE TABLE inbox (
    consumer         text        NOT NULL,
    event_id         uuid        NOT NULL,
    processed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
