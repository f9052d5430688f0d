package rpcx.api;

/** How {@link XClient} picks a server (Go's {@code SelectMode}); each maps to a selector provider name. */
public enum SelectMode {
    /** A uniformly random server per call. */
    RANDOM_SELECT("random"),
    /** Servers in turn. */
    ROUND_ROBIN("roundrobin"),
    /** A selector supplied by the user ({@link XClient.Builder#selector}). */
    SELECT_BY_USER(null);

    private final String providerName;

    SelectMode(String providerName) {
        this.providerName = providerName;
    }

    /** The name of the selector provider implementing this mode (null for {@link #SELECT_BY_USER}). */
    public String providerName() {
        return providerName;
    }
}
