package io.chirp.search.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tweet search, parsed by our code from the {@code q} of {@code GET /api/v1/search/tweets}.
 * Every part is matched as data, never as query syntax: the store turns each into a typed
 * clause (match, term, match_phrase), so {@code *}, {@code ~}, {@code OR}, {@code \},
 * {@code {"query":…}} and the like are plain characters the analyzer drops or keeps as words.
 * <ul>
 *   <li>{@code #tag}: the same rule as tweet-service's hashtags (letters, digits, underscores,
 *       at least one letter), lower-cased;</li>
 *   <li>{@code @user}: the username rule of API.md, lower-cased (mentions match
 *       case-insensitively);</li>
 *   <li>{@code "exact phrase"}: the words in that order; an unclosed quote runs to the end;</li>
 *   <li>anything else: plain words, all of which must match (AND). A token with no letter or
 *       digit (e.g. {@code *}, {@code ~}, {@code \}) carries nothing to search and is dropped.</li>
 * </ul>
 *
 * @param words    plain words, in order, without duplicates
 * @param hashtags without {@code #}, lower-cased
 * @param mentions usernames without {@code @}, lower-cased
 * @param phrases  the text between quotes, trimmed
 */
public record TweetQuery(List<String> words, List<String> hashtags, List<String> mentions, List<String> phrases) {

    /** Longest {@code q}, in Unicode code points (API.md). */
    public static final int MAX_LENGTH = 200;

    private static final Pattern HASHTAG = Pattern.compile("#([\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{N}_]*)");
    private static final Pattern MENTION = Pattern.compile("@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_])");
    private static final Pattern SEARCHABLE = Pattern.compile("[\\p{L}\\p{N}]");

    public TweetQuery {
        words = List.copyOf(words);
        hashtags = List.copyOf(hashtags);
        mentions = List.copyOf(mentions);
        phrases = List.copyOf(phrases);
    }

    /** The plain words joined by spaces, for one match clause. */
    public String text() {
        return String.join(" ", words);
    }

    /** True when something besides the plain words constrains the answer. */
    public boolean hasNonWordClauses() {
        return !hashtags.isEmpty() || !mentions.isEmpty() || !phrases.isEmpty();
    }

    /**
     * @throws InvalidSearchException naming {@code q} when missing, blank, longer than
     *                                {@value #MAX_LENGTH} code points, or holding nothing searchable
     */
    public static TweetQuery parse(String q) {
        if (q == null || q.isBlank()) {
            throw new InvalidSearchException("q", "is required and must not be blank");
        }
        int length = q.codePointCount(0, q.length());
        if (length > MAX_LENGTH) {
            throw new InvalidSearchException("q", "must be at most " + MAX_LENGTH + " characters, not " + length);
        }
        Parts parts = new Parts();
        StringBuilder token = new StringBuilder();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (c == '"') {
                parts.token(token);
                int close = q.indexOf('"', i + 1);
                int end = close < 0 ? q.length() : close;
                parts.phrase(q.substring(i + 1, end));
                i = end + 1;
            } else if (Character.isWhitespace(c)) {
                parts.token(token);
                i++;
            } else {
                token.append(c);
                i++;
            }
        }
        parts.token(token);
        TweetQuery query = new TweetQuery(new ArrayList<>(parts.words), new ArrayList<>(parts.hashtags),
                new ArrayList<>(parts.mentions), new ArrayList<>(parts.phrases));
        if (query.words.isEmpty() && !query.hasNonWordClauses()) {
            throw new InvalidSearchException("q", "holds no word, #hashtag, @username or \"phrase\" to search for");
        }
        return query;
    }

    private static boolean searchable(String text) {
        return SEARCHABLE.matcher(text).find();
    }

    private static final class Parts {
        final Set<String> words = new LinkedHashSet<>();
        final Set<String> hashtags = new LinkedHashSet<>();
        final Set<String> mentions = new LinkedHashSet<>();
        final Set<String> phrases = new LinkedHashSet<>();

        void token(StringBuilder token) {
            if (token.isEmpty()) {
                return;
            }
            String text = token.toString();
            token.setLength(0);
            Matcher tag = HASHTAG.matcher(text);
            Matcher mention = MENTION.matcher(text);
            if (tag.lookingAt()) {
                hashtags.add(tag.group(1).toLowerCase(Locale.ROOT));
                word(text.substring(tag.end()));
            } else if (mention.lookingAt()) {
                mentions.add(mention.group(1).toLowerCase(Locale.ROOT));
                word(text.substring(mention.end()));
            } else {
                word(text);
            }
        }

        void word(String text) {
            if (searchable(text)) {
                words.add(text);
            }
        }

        void phrase(String text) {
            String phrase = text.strip();
            if (searchable(phrase)) {
                phrases.add(phrase);
            }
        }
    }
}
