package rpcx.api;

/** What {@link XClient#call} does when an attempt fails (Go's {@code FailMode}). Service errors never retry. */
public enum FailMode {
    /** Retry up to {@code retries} more times, selecting a server again each time. May run a call twice. */
    FAILOVER,
    /** Return the first error. Never runs a call twice. */
    FAILFAST,
    /** Retry up to {@code retries} more times on the same server. May run a call twice. */
    FAILTRY,
    /** When no reply came within {@code backupLatency}, send the call to a second server; the first completion wins. Runs calls twice by design. */
    FAILBACKUP
}
