package io.chirp.tweet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.chirp.tweet.domain.Exceptions;
import io.chirp.tweet.domain.TweetText;

/** The text rules of API.md and the extraction of hashtags and mentions. */
class TweetTextTest {

    static final String EMOJI = "\uD83D\uDE00";

    @Test
    void lengthIsCountedInCodePointsAfterTrimming() {
        assertEquals(EMOJI.repeat(280), TweetText.parse(EMOJI.repeat(280)).text());
        assertEquals("x".repeat(280), TweetText.parse(" \n\t" + "x".repeat(280) + "\u2003 ").text());
        assertRefused(EMOJI.repeat(281), "281");
        assertRefused("x".repeat(281), "281");
        assertRefused(" \n \t \u2003", "empty");
        assertRefused(null, "required");
    }

    @Test
    void controlCharactersOtherThanNewlineAreRefused() {
        assertEquals("a\nb", TweetText.parse("a\nb").text());
        assertRefused("a\tb", "U+0009");
        assertRefused("a\rb", "U+000D");
        assertRefused("a\u0000b", "U+0000");
        assertRefused("a\u007Fb", "U+007F");
        assertRefused("a\u0085b", "U+0085");
        // format characters are not control characters: emoji sequences need the zero-width joiner
        assertEquals("\uD83D\uDC69\u200D\uD83D\uDCBB", TweetText.parse("\uD83D\uDC69\u200D\uD83D\uDCBB").text());
    }

    @Test
    void hashtagsAreLowerCasedOnceInOrderOfFirstAppearance() {
        TweetText text = TweetText.parse("#Java and #java, #Café #2026 #_x9 a#b &#35; ##double #ok!");
        assertEquals(List.of("java", "café", "_x9", "ok"), text.hashtags());
    }

    @Test
    void mentionCandidatesFollowTheUsernameRule() {
        TweetText text = TweetText.parse("@Alice @alice hi@bob mail@host.com @too_long_for_a_name @ok_1, (@Bob) @");
        assertEquals(List.of("Alice", "ok_1", "Bob"), text.mentionCandidates());
    }

    private static void assertRefused(String raw, String mentioned) {
        Exceptions.InvalidInput e = assertThrows(Exceptions.InvalidInput.class, () -> TweetText.parse(raw));
        assertEquals("text", e.field());
        assertTrue(e.getMessage().startsWith("text: "), e.getMessage());
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }
}
