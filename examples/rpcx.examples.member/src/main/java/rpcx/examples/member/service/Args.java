package rpcx.examples.member.service;

/**
 * The tutorial's {@code Args struct { Uid int }}.
 *
 * @param uid the user id (Go {@code int}: compact on the wire)
 */
public record Args(int uid) {
}
