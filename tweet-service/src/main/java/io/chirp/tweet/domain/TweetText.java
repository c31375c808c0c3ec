package io.chirp.tweet.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a tweet checked against API.md and parsed: 1..{@value #MAX_CODE_POINTS} Unicode
 * code points after trimming (so an emoji outside the Basic Multilingual Plane counts once,
 * not as its two UTF-16 chars), no control characters other than newline.
 *
 * @param text             trimmed
 * @param hashtags         {@code #word} (letters, digits, underscores, at least one letter),
 *                         lower-cased, first appearance first, without duplicates
 * @param mentionCandidates {@code @username} (the username rule of API.md), as typed, first
 *                         appearance first, without case-insensitive duplicates; whether each
 *                         names a known user is decided elsewhere
 */
public record TweetText(String text, List<String> hashtags, List<String> mentionCandidates) {

    public static final int MAX_CODE_POINTS = 280;

    // not inside a word, an HTML entity (&#…) or a run of #s; at least one letter, as Twitter
    private static final Pattern HASHTAG =
            Pattern.compile("(?<![\\p{L}\\p{N}_&#])#([\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{N}_]*)");
    // not inside a word or an e-mail address; the username rule ^[A-Za-z0-9_]{1,15}$ and no more
    private static final Pattern MENTION =
            Pattern.compile("(?<![\\p{L}\\p{N}_@])@([A-Za-z0-9_]{1,15})(?![\\p{L}\\p{N}_@])");

    public TweetText {
        hashtags = List.copyOf(hashtags);
        mentionCandidates = List.copyOf(mentionCandidates);
    }

    /**
     * @throws Exceptions.InvalidInput naming {@code text} when missing, empty after trimming,
     *                                 longer than {@value #MAX_CODE_POINTS} code points or
     *                                 holding a control character other than newline or a
     *                                 lone surrogate
     */
    public static TweetText parse(String raw) {
        if (raw == null) {
            throw new Exceptions.InvalidInput("text", "is required");
        }
        String text = raw.strip();
        int length = text.codePointCount(0, text.length());
        if (length == 0) {
            throw new Exceptions.InvalidInput("text", "must not be empty after trimming");
        }
        if (length > MAX_CODE_POINTS) {
            throw new Exceptions.InvalidInput("text", "must be at most " + MAX_CODE_POINTS
                    + " Unicode code points after trimming, not " + length);
        }
        text.codePoints().filter(cp -> cp != '\n' && Character.getType(cp) == Character.CONTROL).findFirst()
                .ifPresent(cp -> {
                    throw new Exceptions.InvalidInput("text", String.format(
                            "must not contain control characters other than newline (found U+%04X)", cp));
                });
        // a lone surrogate (a JSON "\ud800" escape) is no Unicode scalar value: it cannot be stored
        // as UTF-8 (PostgreSQL refuses it), so it is invalid input, not a store failure
        text.codePoints().filter(cp -> Character.getType(cp) == Character.SURROGATE).findFirst()
                .ifPresent(cp -> {
                    throw new Exceptions.InvalidInput("text", String.format(
                            "must be valid Unicode (found a lone surrogate U+%04X)", cp));
                });
        return new TweetText(text, hashtags(text), mentions(text));
    }

    private static List<String> hashtags(String text) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = HASHTAG.matcher(text);
        while (m.find()) {
            String tag = m.group(1).toLowerCase(Locale.ROOT);
            found.putIfAbsent(tag, tag);
        }
        return new ArrayList<>(found.values());
    }

    private static List<String> mentions(String text) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            found.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), m.group(1));
        }
        return new ArrayList<>(found.values());
    }
}
