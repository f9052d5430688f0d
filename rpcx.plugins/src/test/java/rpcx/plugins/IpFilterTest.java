package rpcx.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** CIDR parsing and matching, and the allow/deny rule. */
class IpFilterTest {
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            // IPv4 blocks
            "10.0.0.0/8,        10.0.0.0,          true",
            "10.0.0.0/8,        10.255.255.255,    true",
            "10.0.0.0/8,        11.0.0.0,          false",
            "10.0.0.0/8,        9.255.255.255,     false",
            "192.168.1.0/24,    192.168.1.77,      true",
            "192.168.1.0/24,    192.168.2.1,       false",
            "172.16.0.0/12,     172.31.255.255,    true",
            "172.16.0.0/12,     172.32.0.0,        false",
            "10.1.2.3/8,        10.200.0.1,        true",   // host bits are cleared, as Go's ParseCIDR
            "192.168.1.128/25,  192.168.1.127,     false",
            "192.168.1.128/25,  192.168.1.128,     true",
            "192.168.1.5/31,    192.168.1.4,       true",
            "192.168.1.5/31,    192.168.1.6,       false",
            // edge prefixes
            "0.0.0.0/0,         1.2.3.4,           true",
            "0.0.0.0/0,         255.255.255.255,   true",
            "0.0.0.0/0,         ::1,               false",  // an IPv4 block is for IPv4 clients only
            "127.0.0.1/32,      127.0.0.1,         true",
            "127.0.0.1/32,      127.0.0.2,         false",
            "127.0.0.1,         127.0.0.1,         true",   // one address is a /32
            "127.0.0.1,         127.0.0.2,         false",
            // IPv4 rules and IPv4-mapped IPv6 clients
            "10.0.0.0/8,        ::ffff:10.1.2.3,   true",
            "::ffff:10.0.0.0/104, 10.9.9.9,        true",
            "::ffff:10.0.0.0/104, 11.0.0.1,        false",
            // IPv6 blocks
            "2001:db8::/32,     2001:db8::1,       true",
            "2001:db8::/32,     2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "2001:db8::/32,     2001:db9::,        false",
            "2001:db8::/32,     2001:db7:ffff::,   false",
            "2001:DB8::/32,     2001:db8:0:1::5,   true",   // upper-case hex
            "fe80::/10,         fe80::1,           true",
            "fe80::/10,         febf::1,           true",
            "fe80::/10,         fec0::1,           false",
            "2001:db8:abcd:12::/63, 2001:db8:abcd:13::1, true",
            "2001:db8:abcd:12::/63, 2001:db8:abcd:14::1, false",
            "::/0,              2001:db8::1,       true",
            "::/0,              ::,                true",
            "::/0,              10.0.0.1,          false",  // an IPv6 block is for IPv6 clients only, as in Go
            "::1/128,           ::1,               true",
            "::1/128,           ::2,               false",
            "::1,               ::1,               true",
            "::1,               127.0.0.1,         false",
            "::1.2.3.4,         ::102:304,         true",   // IPv4-compatible notation is plain IPv6
    })
    void matchingTable(String rule, String address, boolean expected) {
        assertEquals(expected, IpRange.parse(rule).contains(ip(address)));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "10.1.2.3/8,            10.0.0.0/8",
            "127.0.0.1,             127.0.0.1",
            "127.0.0.1/32,          127.0.0.1",
            "0.0.0.0/0,             0.0.0.0/0",
            "2001:DB8:0:0:1::/64,   2001:db8::/64",
            "2001:db8:0:0:1::/80,   2001:db8:0:0:1::/80",
            "::/0,                  ::/0",
            "::1/128,               ::1",
            "0:0:0:0:0:0:0:1,       ::1",
            "2001:db8:0:1:0:0:0:1,  2001:db8:0:1::1",
            "1:0:0:1:0:0:0:1,       1:0:0:1::1",     // the longer run of zeros is the one compressed
            "1:0:0:2:3:0:0:4,       1::2:3:0:0:4",   // equal runs: the first
            "1:2:3:4:5:6:7:0,       1:2:3:4:5:6:7:0", // one zero group is not compressed
            "::ffff:10.0.0.0/104,   10.0.0.0/8",
    })
    void canonicalText(String rule, String canonical) {
        assertEquals(canonical, IpRange.parse(rule).toString());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
            "", "localhost", "example.com", "10.0.0", "10.0.0.0.0", "10.0.0.256", "10.0.0.-1", "10.00.0.1",
            "010.0.0.1", "1.2.3.4 ", " 1.2.3.4", "10.0.0.0/33", "10.0.0.0/", "/8", "10.0.0.0/8/8", "10.0.0.0/-1",
            "10.0.0.0/+8", "10.0.0.0/08", "10.0.0.0/x", "2001:db8::/129", "2001:db8::/1000", "2001:db8:::1",
            "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "[::1]", "[::1]/128", "fe80::1%eth0", "fe80::1%1", "::g",
            ".1:2", "::1.2.3", "::ffff:10.0.0.0/95", "::ffff:10.0.0.0/8", "１.2.3.4", "1.2.3.4/３２", "0x7f.0.0.1"
    })
    void invalidEntriesFailWithTheirText(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpFilter.allowing(bad));
        assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
    }

    @Test
    void nullEntryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> IpFilter.denying((String) null));
    }

    @Test
    void aBadEntryAddsNothing() {
        IpFilter f = IpFilter.allowing("10.0.0.0/8");
        assertThrows(IllegalArgumentException.class, () -> f.allow("11.0.0.0/8", "nope"));
        assertEquals(List.of("10.0.0.0/8"), f.allowList());
    }

    @Test
    void denyWinsAndANonEmptyAllowListAdmitsOnlyItsAddresses() {
        IpFilter f = IpFilter.allowing("10.0.0.0/8", "2001:db8::/32", "127.0.0.1").deny("10.6.6.0/24", "2001:db8:bad::/48");
        assertTrue(f.permits(ip("10.1.2.3")));
        assertFalse(f.permits(ip("10.6.6.6")), "deny wins over allow");
        assertTrue(f.permits(ip("10.6.7.1")));
        assertTrue(f.permits(ip("127.0.0.1")));
        assertFalse(f.permits(ip("127.0.0.2")), "not on the allow-list");
        assertFalse(f.permits(ip("192.168.0.1")));
        assertTrue(f.permits(ip("2001:db8:1::1")));
        assertFalse(f.permits(ip("2001:db8:bad::1")));
        assertFalse(f.permits(ip("::1")));
        assertTrue(f.permits(ip("::ffff:10.1.2.3")), "an IPv4-mapped client is its IPv4 address");
    }

    @Test
    void withOnlyADenyListEveryOtherAddressPasses() {
        IpFilter f = IpFilter.denying("192.168.0.0/16", "::1");
        assertFalse(f.permits(ip("192.168.44.1")));
        assertFalse(f.permits(ip("::1")));
        assertTrue(f.permits(ip("127.0.0.1")));
        assertTrue(f.permits(ip("2001:db8::1")));
        assertTrue(new IpFilter().permits(ip("8.8.8.8")), "empty lists admit everyone");
    }

    @Test
    void denyAllOfOneFamily() {
        IpFilter f = IpFilter.denying("0.0.0.0/0");
        assertFalse(f.permits(ip("1.1.1.1")));
        assertTrue(f.permits(ip("2001:db8::1")));
        f.deny("::/0");
        assertFalse(f.permits(ip("2001:db8::1")));
    }

    @Test
    void theZoneOfALinkLocalClientIsIgnored() throws Exception {
        InetAddress scoped = Inet6Address.getByAddress(null, ip("fe80::1").getAddress(), 3);
        assertTrue(IpFilter.allowing("fe80::/10").permits(scoped));
        assertFalse(IpFilter.denying("fe80::1").permits(scoped));
    }

    @Test
    void nonIpAddressesAreOnNoList() {
        SocketAddress memory = new SocketAddress() {
            private static final long serialVersionUID = 1L;
        };
        assertTrue(IpFilter.denying("0.0.0.0/0", "::/0").permits(memory));
        assertFalse(IpFilter.allowing("0.0.0.0/0", "::/0").permits(memory));
        assertFalse(IpFilter.allowing("127.0.0.1").permits(InetSocketAddress.createUnresolved("localhost", 80)));
        assertTrue(new IpFilter().permits(memory));
    }

    @Test
    void theHookClosesRefusedConnections() {
        IpFilter f = IpFilter.allowing("10.0.0.0/8");
        assertTrue(f.connectionAccepted(FakeConnection.from("10.0.0.9")));
        assertFalse(f.connectionAccepted(FakeConnection.from("11.0.0.9")));
        assertFalse(f.connectionAccepted(FakeConnection.from("::1")));
        assertEquals(2, f.refusedCount());
    }

    @Test
    void listsChangeAtRuntimeAndCompareAfterParsing() {
        IpFilter f = new IpFilter();
        f.deny("10.0.0.0/8", "10.9.9.9/8", "2001:DB8::/32");
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32"), f.denyList(), "duplicates after parsing are ignored");
        assertFalse(f.permits(ip("10.1.1.1")));
        assertTrue(f.removeDeny("10.200.0.0/8"));
        assertFalse(f.removeDeny("10.0.0.0/8"));
        assertTrue(f.permits(ip("10.1.1.1")));
        f.allow("127.0.0.1");
        assertFalse(f.permits(ip("10.1.1.1")));
        assertTrue(f.removeAllow("127.0.0.1/32"));
        assertTrue(f.permits(ip("10.1.1.1")));
        assertEquals(List.of(), f.allowList());
    }
}
