package rpcx.api;

/** How {@link XClient} picks a server (Go's {@code SelectMode}); each maps to a selector provider name. */
public enum SelectMode {
    /** A uniformly random server per call. */
    RANDOM_SELECT("random"),
    /** Servers in turn. */
    ROUND_ROBIN("roundrobin"),
    /** Nginx's smooth weighted round-robin over the metadata {@code weight} (default 1). */
    WEIGHTED_ROUND_ROBIN("weightedroundrobin"),
    /** Smooth weighted round-robin with weights from measured round-trip times (Go's RTT-to-weight table). */
    WEIGHTED_ICMP("weightedicmp"),
    /** Jump consistent hash of service, method and args: equal args go to the same server. */
    CONSISTENT_HASH("consistenthash"),
    /** The server nearest to the client's coordinates (metadata {@code latitude}/{@code longitude}). */
    CLOSEST("closest"),
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
