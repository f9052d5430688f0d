/**
 * Apache ZooKeeper (https://zookeeper.apache.org/, Apache-2.0) as one explicit module: the unchanged classes of
 * {@code org.apache.zookeeper:zookeeper} and {@code zookeeper-jute}, which split packages and so cannot be two
 * modules; only this descriptor is added (generated with {@code jdeps --generate-module-info}, then trimmed).
 *
 * <p>Server-only features are optional: Dropwizard metrics and snappy (an embedded server needs both on the module
 * path: {@code --add-modules com.codahale.metrics,snappy.java}), Jackson (the admin server) and Yetus' audience
 * annotations.
 */
module org.apache.zookeeper {
    requires java.naming;
    requires java.security.jgss;
    requires transitive java.management;
    requires transitive java.security.sasl;
    requires transitive org.slf4j;
    requires transitive io.netty.handler;
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires org.apache.commons.io;

    requires static com.codahale.metrics;
    requires static snappy.java;
    requires static com.fasterxml.jackson.annotation;
    requires static com.fasterxml.jackson.core;
    requires static com.fasterxml.jackson.databind;
    requires static audience.annotations;

    exports org.apache.jute;
    exports org.apache.jute.compiler;
    exports org.apache.jute.compiler.generated;
    exports org.apache.zookeeper;
    exports org.apache.zookeeper.admin;
    exports org.apache.zookeeper.audit;
    exports org.apache.zookeeper.cli;
    exports org.apache.zookeeper.client;
    exports org.apache.zookeeper.common;
    exports org.apache.zookeeper.compat;
    exports org.apache.zookeeper.data;
    exports org.apache.zookeeper.jmx;
    exports org.apache.zookeeper.metrics;
    exports org.apache.zookeeper.metrics.impl;
    exports org.apache.zookeeper.proto;
    exports org.apache.zookeeper.server;
    exports org.apache.zookeeper.server.admin;
    exports org.apache.zookeeper.server.auth;
    exports org.apache.zookeeper.server.command;
    exports org.apache.zookeeper.server.controller;
    exports org.apache.zookeeper.server.embedded;
    exports org.apache.zookeeper.server.metric;
    exports org.apache.zookeeper.server.persistence;
    exports org.apache.zookeeper.server.quorum;
    exports org.apache.zookeeper.server.quorum.auth;
    exports org.apache.zookeeper.server.quorum.flexible;
    exports org.apache.zookeeper.server.util;
    exports org.apache.zookeeper.server.watch;
    exports org.apache.zookeeper.txn;
    exports org.apache.zookeeper.util;
    exports org.apache.zookeeper.version;
}
