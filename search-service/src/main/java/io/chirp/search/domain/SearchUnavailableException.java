package io.chirp.search.domain;

/** 503: the search engine did not answer (or its indices are missing); no degraded answer exists. */
public class SearchUnavailableException extends RuntimeException {

    public SearchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
