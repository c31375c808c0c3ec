package io.chirp.engines.elasticsearch;

import java.util.Locale;
import java.util.Map;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The few token filters of Elasticsearch's {@code analysis-common} module that Chirp's indices
 * use, for the embedded 7.17 node only.
 * <p>
 * Why it exists: {@code analysis-common} is a module of the Elasticsearch distribution that is
 * not published to Maven Central, so an embedded node built from Maven artifacts has only the
 * core analysis components ({@code standard} tokenizer, {@code lowercase} and {@code stop}
 * filters, {@code standard}/{@code simple}/{@code whitespace}/{@code keyword} analyzers, the
 * {@code lowercase} normalizer); see ENGINES.md, "Elasticsearch 7.17". Elasticsearch 8 (the
 * docker-compose cluster) ships the real module. This plugin wraps the Lucene filters that
 * {@code analysis-common} itself wraps (lucene-analyzers-common 8.11 is already on the node's
 * classpath), under the <em>same type names and parameters</em>, so one set of index settings
 * works on both engines. It never registers a name the core already has (that would fail the
 * node's start), and it registers nothing that Elasticsearch 8 lacks.
 * <table>
 *   <caption>Registered token filter types</caption>
 *   <tr><th>type</th><th>parameters (defaults as in Elasticsearch 8)</th><th>Lucene class</th></tr>
 *   <tr><td>{@code asciifolding}</td><td>{@code preserve_original} (false)</td><td>ASCIIFoldingFilter</td></tr>
 *   <tr><td>{@code edge_ngram}</td><td>{@code min_gram} (1), {@code max_gram} (2),
 *       {@code preserve_original} (false)</td><td>EdgeNGramTokenFilter</td></tr>
 *   <tr><td>{@code stemmer}</td><td>{@code language} (or {@code name}): only {@code english} and
 *       {@code porter} (PorterStemFilter) and {@code possessive_english} (EnglishPossessiveFilter);
 *       Elasticsearch 8's other languages are refused at index creation, with a clear error,
 *       rather than stemmed differently from Elasticsearch 8</td>
 *       <td>as listed</td></tr>
 * </table>
 * Reference: Elasticsearch's {@code modules/analysis-common} ({@code ASCIIFoldingTokenFilterFactory},
 * {@code EdgeNGramTokenFilterFactory}, {@code StemmerTokenFilterFactory}) and its reference
 * guide pages of the same names.
 */
public final class ChirpAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "asciifolding", AsciiFolding::new,
                "edge_ngram", EdgeNGram::new,
                "stemmer", Stemmer::new);
    }

    /** {@code asciifolding}: folds accented and other non-ASCII letters to ASCII (é → e). */
    static final class AsciiFolding extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {

        private final boolean preserveOriginal;

        AsciiFolding(IndexSettings index, Environment environment, String name, Settings settings) {
            super(index, name, settings);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream input) {
            return new ASCIIFoldingFilter(input, preserveOriginal);
        }
    }

    /** {@code edge_ngram}: every prefix of each token from {@code min_gram} to {@code max_gram} characters. */
    static final class EdgeNGram extends AbstractTokenFilterFactory {

        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;

        EdgeNGram(IndexSettings index, Environment environment, String name, Settings settings) {
            super(index, name, settings);
            this.minGram = settings.getAsInt("min_gram", 1);
            this.maxGram = settings.getAsInt("max_gram", 2);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
            if (minGram < 1 || maxGram < minGram) {
                throw new IllegalArgumentException("edge_ngram [" + name + "]: need 1 <= min_gram <= max_gram, got "
                        + minGram + ", " + maxGram);
            }
        }

        @Override
        public TokenStream create(TokenStream input) {
            return new EdgeNGramTokenFilter(input, minGram, maxGram, preserveOriginal);
        }
    }

    /**
     * {@code stemmer}: the English stemmers of Elasticsearch's stemmer filter. {@code english} is
     * the Porter algorithm there too; {@code possessive_english} strips a trailing {@code 's}.
     */
    static final class Stemmer extends AbstractTokenFilterFactory {

        private final boolean possessive;

        Stemmer(IndexSettings index, Environment environment, String name, Settings settings) {
            super(index, name, settings);
            String language = settings.get("language", settings.get("name", "porter")).toLowerCase(Locale.ROOT);
            switch (language) {
                case "english", "porter" -> possessive = false;
                case "possessive_english" -> possessive = true;
                default -> throw new IllegalArgumentException("stemmer [" + name + "]: language [" + language
                        + "] is not available on the embedded node (english, porter, possessive_english are)");
            }
        }

        @Override
        public TokenStream create(TokenStream input) {
            return possessive ? new EnglishPossessiveFilter(input) : new PorterStemFilter(input);
        }
    }
}
