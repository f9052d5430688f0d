/**
 * libthrift (https://thrift.apache.org/, Apache-2.0) as an explicit module, for jlink images. The classes are the
 * unchanged upstream classes of {@code org.apache.thrift:libthrift}; only this descriptor is added, with the module
 * name upstream gives in its manifest, so code compiled against libthrift links against it unchanged.
 *
 * <p>The protocols, serializers, sockets and servers need only slf4j. {@code THttpClient} (httpclient5),
 * {@code TServlet} (the Jakarta servlet API) and partial deserialization (commons-lang3) are optional: put those
 * libraries on the module path and add them ({@code --add-modules}) to use them.
 */
module org.apache.thrift {
    requires transitive java.security.sasl;
    requires org.slf4j;
    requires static org.apache.httpcomponents.client5.httpclient5;
    requires static org.apache.httpcomponents.core5.httpcore5;
    requires static jakarta.servlet;
    requires static org.apache.commons.lang3;

    exports org.apache.thrift;
    exports org.apache.thrift.annotation;
    exports org.apache.thrift.async;
    exports org.apache.thrift.meta_data;
    exports org.apache.thrift.partial;
    exports org.apache.thrift.protocol;
    exports org.apache.thrift.scheme;
    exports org.apache.thrift.server;
    exports org.apache.thrift.transport;
    exports org.apache.thrift.transport.layered;
    exports org.apache.thrift.transport.sasl;
    exports org.apache.thrift.utils;
}
