package rpcx.examples.member.service;

import rpcx.api.GoField;
import rpcx.examples.member.model.User;

/**
 * The tutorial's {@code Reply struct { model.User }}: the embedded struct's fields are inlined on the wire.
 *
 * @param user the user
 */
public record Reply(@GoField(embedded = true) User user) {
}
