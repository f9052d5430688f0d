/**
 * The tutorial's {@code member} service and its clients. Transports and codecs are not required here: the
 * runtime finds them through ServiceLoader when they are on the module path.
 */
module rpcx.examples.member {
    requires rpcx.api;
    requires java.net.http;
    // only -network kcp names its settings (KcpSettings); the module is resolved through ServiceLoader binding
    requires static rpcx.transport.kcp;

    exports rpcx.examples.member.model;
    exports rpcx.examples.member.service;
    exports rpcx.examples.member.cmd;
}
