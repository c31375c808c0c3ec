package io.chirp.search.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TweetQueryTest {

    @Test
    void splitsWordsHashtagsMentionsAndPhrases() {
        TweetQuery q = TweetQuery.parse("  Jazz #Live @Bob_99 \"blue note\" tonight #live ");
        assertEquals(List.of("Jazz", "tonight"), q.words());
        assertEquals(List.of("live"), q.hashtags(), "lower-cased, once");
        assertEquals(List.of("bob_99"), q.mentions(), "lower-cased");
        assertEquals(List.of("blue note"), q.phrases());
        assertEquals("Jazz tonight", q.text());
    }

    @Test
    void anUnclosedQuoteRunsToTheEnd() {
        assertEquals(List.of("open phrase"), TweetQuery.parse("word \"open phrase").phrases());
        assertEquals(List.of("word"), TweetQuery.parse("word \"open phrase").words());
    }

    @Test
    void syntaxCharactersAreDataOrDropped() {
        TweetQuery q = TweetQuery.parse("cats* OR dogs~2 {\"query\":{\"match_all\":{}}} \\ *");
        assertEquals(List.of("cats*", "OR", "dogs~2"), q.words(), "tokens without letters or digits are dropped");
        assertEquals(List.of("query", "match_all"), q.phrases(), "quoted keys are phrases to match, nothing more");
        assertEquals(List.of("tag"), TweetQuery.parse("#tag,").hashtags(), "trailing punctuation is not the tag");
        assertEquals(List.of("-x"), TweetQuery.parse("#tag-x").words(), "the rest of the token stays a word");
        assertEquals(List.of("@@bob"), TweetQuery.parse("@@bob").words(), "not a mention");
        assertEquals(List.of("#123"), TweetQuery.parse("#123").words(), "a hashtag needs a letter");
        assertEquals(List.of("@waytoolongusername"), TweetQuery.parse("@waytoolongusername").words());
    }

    @Test
    void refusesWhatHasNothingToSearchOrIsTooLong() {
        for (String q : new String[] {null, "", "   ", "*", "\"\"", "# @ ~ \\ {}", "\"*\""}) {
            InvalidSearchException e = assertThrows(InvalidSearchException.class, () -> TweetQuery.parse(q));
            assertEquals("q", e.field(), String.valueOf(q));
        }
        assertThrows(InvalidSearchException.class, () -> TweetQuery.parse("a".repeat(201)));
        assertTrue(TweetQuery.parse("😀".repeat(199) + "a").words().size() == 1, "200 code points are allowed");
    }
}
