/**
 * The tutorial's {@code memberproto} service: {@code ServiceUser.UserInfo} and {@code ServiceUser.Mul} with
 * protobuf messages generated from {@code member.proto}, a server and a client that sets the protobuf codec.
 * The generated package is exported: the protobuf codec reaches each message's default instance by reflection.
 */
module rpcx.examples.memberproto {
    requires transitive rpcx.api;
    requires rpcx.examples.member;
    requires transitive com.google.protobuf;

    exports rpcx.examples.memberproto.pb;
    exports rpcx.examples.memberproto.service;
    exports rpcx.examples.memberproto.cmd;
}
