package rpcx.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP segments of a libpcap capture file (what {@code tcpdump -w} writes): Ethernet (with VLAN tags), Linux
 * cooked (v1 and v2), BSD loopback and raw IP links; IPv4 and IPv6. Not pcapng.
 */
final class Pcap {
    /** One TCP segment: its flow ({@code a.b.c.d:port -> e.f.g.h:port}), sequence number, flags and data. */
    record Segment(String flow, int srcPort, int dstPort, long seq, boolean syn, byte[] data) {
    }

    private Pcap() {
    }

    /**
     * Reads every TCP segment of a capture, in capture order.
     *
     * @throws IOException when the file cannot be read or is not a libpcap capture
     */
    static List<Segment> tcpSegments(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 24) {
            throw new IOException(file + " is too short for a pcap file");
        }
        int magic = in.order(ByteOrder.BIG_ENDIAN).getInt(0);
        switch (magic) {
            case 0xa1b2c3d4, 0xa1b23c4d -> in.order(ByteOrder.BIG_ENDIAN);
            case 0xd4c3b2a1, 0x4d3cb2a1 -> in.order(ByteOrder.LITTLE_ENDIAN);
            case 0x0a0d0d0a -> throw new IOException(file + " is pcapng: write it as pcap (tcpdump -w, or editcap -F pcap)");
            default -> throw new IOException(file + " is not a pcap capture (magic " + Integer.toHexString(magic) + ")");
        }
        int link = in.getInt(20);
        in.position(24);
        List<Segment> segments = new ArrayList<>();
        while (in.remaining() >= 16) {
            in.getInt(); // seconds
            in.getInt(); // micro- or nanoseconds
            int captured = in.getInt();
            in.getInt(); // original length
            if (captured < 0 || captured > in.remaining()) {
                break; // a truncated last record
            }
            ByteBuffer packet = in.slice(in.position(), captured).order(ByteOrder.BIG_ENDIAN);
            in.position(in.position() + captured);
            Segment s = segment(link, packet);
            if (s != null) {
                segments.add(s);
            }
        }
        return segments;
    }

    private static Segment segment(int link, ByteBuffer p) throws IOException {
        int at;
        int etherType;
        switch (link) {
            case 1 -> { // Ethernet
                if (p.limit() < 14) {
                    return null;
                }
                at = 12;
                etherType = p.getShort(at) & 0xffff;
                at += 2;
                while ((etherType == 0x8100 || etherType == 0x88a8) && p.limit() >= at + 4) {
                    etherType = p.getShort(at + 2) & 0xffff;
                    at += 4;
                }
            }
            case 113 -> { // Linux cooked v1
                if (p.limit() < 16) {
                    return null;
                }
                etherType = p.getShort(14) & 0xffff;
                at = 16;
            }
            case 276 -> { // Linux cooked v2
                if (p.limit() < 20) {
                    return null;
                }
                etherType = p.getShort(0) & 0xffff;
                at = 20;
            }
            case 0 -> { // BSD loopback: the address family in the host's order
                at = 4;
                etherType = p.limit() > 4 && (p.get(4) & 0xf0) == 0x60 ? 0x86dd : 0x0800;
            }
            case 101, 12, 14 -> { // raw IP
                at = 0;
                etherType = p.limit() > 0 && (p.get(0) & 0xf0) == 0x60 ? 0x86dd : 0x0800;
            }
            default -> throw new IOException("link type " + link + " is not supported (Ethernet, Linux cooked, loopback, raw IP are)");
        }
        byte[] src;
        byte[] dst;
        int tcp;
        int end;
        if (etherType == 0x0800) {
            if (p.limit() < at + 20 || (p.get(at) & 0xf0) != 0x40 || p.get(at + 9) != 6) {
                return null;
            }
            int ihl = (p.get(at) & 0x0f) * 4;
            end = Math.min(p.limit(), at + (p.getShort(at + 2) & 0xffff));
            src = bytes(p, at + 12, 4);
            dst = bytes(p, at + 16, 4);
            tcp = at + ihl;
        } else if (etherType == 0x86dd) {
            if (p.limit() < at + 40 || p.get(at + 6) != 6) {
                return null; // not TCP (extension headers are not followed)
            }
            end = Math.min(p.limit(), at + 40 + (p.getShort(at + 4) & 0xffff));
            src = bytes(p, at + 8, 16);
            dst = bytes(p, at + 24, 16);
            tcp = at + 40;
        } else {
            return null;
        }
        if (end < tcp + 20) {
            return null;
        }
        int srcPort = p.getShort(tcp) & 0xffff;
        int dstPort = p.getShort(tcp + 2) & 0xffff;
        long seq = p.getInt(tcp + 4) & 0xffffffffL;
        int dataAt = tcp + ((p.get(tcp + 12) & 0xf0) >> 4) * 4;
        boolean syn = (p.get(tcp + 13) & 0x02) != 0;
        byte[] data = dataAt < end ? bytes(p, dataAt, end - dataAt) : new byte[0];
        String flow = InetAddress.getByAddress(src).getHostAddress() + ":" + srcPort + " -> "
                + InetAddress.getByAddress(dst).getHostAddress() + ":" + dstPort;
        return new Segment(flow, srcPort, dstPort, seq, syn, data);
    }

    private static byte[] bytes(ByteBuffer p, int at, int n) {
        byte[] b = new byte[n];
        p.get(at, b);
        return b;
    }
}
