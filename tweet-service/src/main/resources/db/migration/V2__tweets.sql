-- Every physical shard has every table; which rows it holds follows from the shard map.

-- Tweets live on their author's logical shard: a tweet's id carries the author's 13 shard bits,
-- so the user timeline is one index scan on one database. created_at is the id's own
-- millisecond (ChirpId.timestamp), so a lookup by id also names its monthly partition.
-- The primary key must include the partition key.
CREATE TABLE tweets (
    id             bigint      NOT NULL,
    author_id      bigint      NOT NULL,
    text           text        NOT NULL,
    reply_to_id    bigint,
    retweet_of_id  bigint,
    hashtags       text[]      NOT NULL DEFAULT '{}',
    mentions       text[]      NOT NULL DEFAULT '{}',
    like_count     bigint      NOT NULL DEFAULT 0,
    retweet_count  bigint      NOT NULL DEFAULT 0,
    reply_count    bigint      NOT NULL DEFAULT 0,
    deleted_at     timestamptz,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

-- The user timeline: newest first by id (ids are time-ordered), keyset on id.
CREATE INDEX tweets_author_newest ON tweets (author_id, id DESC);
-- Replies of one tweet (they live on their own authors' shards: read on every shard, merged).
CREATE INDEX tweets_replies_newest ON tweets (reply_to_id, id DESC) WHERE reply_to_id IS NOT NULL;

-- Partitions of the current and the next month (UTC); TweetPartitions keeps more ahead.
DO $$
DECLARE
    month date;
BEGIN
    FOR i IN 0..1 LOOP
        month := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date;
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF tweets FOR VALUES FROM (%L) TO (%L)',
                       'tweets_' || to_char(month, 'YYYY_MM'),
                       month::text || ' 00:00:00+00',
                       (month + interval '1 month')::date::text || ' 00:00:00+00');
    END LOOP;
END
$$;

-- One retweet per user and original, on the retweeter's shard: the primary key makes
-- retweeting idempotent, also for concurrent requests.
CREATE TABLE retweets (
    user_id      bigint      NOT NULL,
    tweet_id     bigint      NOT NULL,
    retweet_id   bigint      NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, tweet_id)
);

-- The username of each author, on the author's shard (denormalised from UserRegistered and
-- UserUpdated, or from the caller's token when a post comes first), joined into every tweet
-- read. deleted_at: the account-deletion saga reached this service; no more posts.
CREATE TABLE authors (
    user_id      bigint      PRIMARY KEY,
    username     text        NOT NULL,
    deleted_at   timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- Resolving @mentions case-insensitively.
CREATE INDEX authors_username ON authors (lower(username));
