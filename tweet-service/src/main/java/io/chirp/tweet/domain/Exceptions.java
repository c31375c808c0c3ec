package io.chirp.tweet.domain;

/** The domain's refusals; the api layer maps each once to its HTTP status. */
public final class Exceptions {

    private Exceptions() {
    }

    /** 400: input the rules of API.md refuse; the message starts with the offending field's name. */
    public static final class InvalidInput extends RuntimeException {
        private final String field;

        public InvalidInput(String field, String problem) {
            super(field + ": " + problem);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** 404: no such tweet, or it was deleted. */
    public static final class TweetNotFound extends RuntimeException {
        public TweetNotFound(long id) {
            super("no tweet " + id);
        }
    }

    /** 404: no such user known to this service. */
    public static final class UserNotFound extends RuntimeException {
        public UserNotFound(long id) {
            super("no user " + id);
        }
    }

    /** 403: only the author may delete a tweet. */
    public static final class NotTheAuthor extends RuntimeException {
        public NotTheAuthor(long tweetId) {
            super("only the author may delete tweet " + tweetId);
        }
    }

    /** 403: the caller's account is being deleted; its token may still be valid for a while. */
    public static final class AccountDeleted extends RuntimeException {
        public AccountDeleted(long userId) {
            super("the account " + userId + " is deleted");
        }
    }
}
