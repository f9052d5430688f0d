package rpcx.examples.member.cmd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import rpcx.api.Codecs;
import rpcx.api.spi.Codec;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * The tutorial's {@code gateway/client/httpclient.go}, with {@code java.net.http}: POSTs {@code Args{Uid: 999}}
 * encoded with msgpack to the member server's own port with the {@code X-RPCX-*} headers, decodes the reply and
 * prints {@code 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}}. Flags: {@code -url http://127.0.0.1:8972/},
 * {@code -codec msgpack|json}, {@code -uid 999}.
 */
public final class HttpClient {
    private HttpClient() {
    }

    /** Makes the call; returns the decoded reply, or throws with the server's error text. */
    public static Reply run(String url, int serializeType, int uid) throws IOException, InterruptedException {
        Codec cc = Codecs.lookup(serializeType);
        Args args = new Args(uid);
        byte[] data = cc.encode(args);
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                .header("X-RPCX-MessageID", "10000")
                .header("X-RPCX-MesssageType", "0") // the tutorial's (Go client's) spelling; the server ignores it
                .header("X-RPCX-SerializeType", Integer.toString(serializeType))
                .header("X-RPCX-ServicePath", "ServiceUser")
                .header("X-RPCX-ServiceMethod", "UserInfo")
                .build();
        HttpResponse<byte[]> res = java.net.http.HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());
        String error = res.headers().firstValue("X-RPCX-ErrorMessage").orElse(null);
        if (error != null) {
            throw new IOException("HTTP " + res.statusCode() + ": " + error);
        }
        Reply reply = (Reply) cc.decode(res.body(), Reply.class);
        Console.log(args.uid() + " : " + reply.user());
        return reply;
    }

    /** Exits 1 after printing Go's {@code failed to call: ...} when the call fails. */
    public static void main(String[] args) throws InterruptedException {
        Flags flags = Flags.parse(args);
        try {
            run(flags.get("url", "http://127.0.0.1:8972/"), flags.codec(), Integer.parseInt(flags.get("uid", "999")));
        } catch (IOException e) {
            Console.log("failed to call: " + e.getMessage());
            System.exit(1);
        }
    }
}
