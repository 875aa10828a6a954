package io.switchboard.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Which URLs Switchboard may call: http or https, with a host, without credentials, and (unless the operator
 * allows private addresses) only to public addresses, so that a project's Webhook URL cannot reach the gateway's
 * own network, its loopback or the cloud's metadata service.
 *
 * <p>The check is made twice. {@link #check} runs when a URL is saved, to answer the customer at once. The
 * {@link #resolver} runs when the HTTP client opens a connection: a host that resolved to a public address when
 * it was saved may resolve to 127.0.0.1 later (DNS rebinding), and the client connects to exactly the addresses
 * the resolver checked, so nothing is resolved again between the check and the connection. Redirects must stay
 * off in that client, since a redirect's target does not pass through {@link #check}.
 *
 * <p>Immutable, so safe to share between threads.
 */
public final class OutboundUrls {
    /** Longer URLs are refused: no Webhook needs one, and they end up in logs and database columns. */
    public static final int MAX_LENGTH = 2048;

    /** Finds a host name's addresses; tests replace the system's DNS with one of these. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    /** Why a URL was refused: a code for machines and a message that names the host but never the path or query. */
    public static final class Refused extends RuntimeException {
        private final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        /** One of {@code invalid_url}, {@code private_address}, {@code unresolvable_host}. */
        public String code() {
            return code;
        }
    }

    private final boolean allowPrivate;
    private final Lookup lookup;

    /** {@code allowPrivate}: loopback and private addresses are allowed too (tests, demos, an internal gateway). */
    public OutboundUrls(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    OutboundUrls(boolean allowPrivate, Lookup lookup) {
        this.allowPrivate = allowPrivate;
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /**
     * The URL, parsed, when Switchboard may call it. Resolves the host (an IP literal needs no DNS), and unless
     * private addresses are allowed refuses a host any of whose addresses is not public.
     *
     * @throws Refused with code {@code invalid_url}, {@code private_address} or {@code unresolvable_host}
     */
    public URI check(String url) {
        if (url == null || url.isBlank()) throw new Refused("invalid_url", "the URL is empty");
        if (url.length() > MAX_LENGTH) {
            throw new Refused("invalid_url",
                    "the URL is " + url.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // Not e.getMessage(): it quotes the whole URL, query and all.
            throw new Refused("invalid_url", "the URL is not valid: " + e.getReason() + " at character " + e.getIndex());
        }
        String host = uri.getHost();
        if (host == null) throw new Refused("invalid_url", "the URL must name a host (http://host/...)");
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new Refused("invalid_url", "the URL to " + host + " must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("invalid_url", "the URL to " + host
                    + " must not carry a user name or password: they would end up in logs");
        }
        try {
            publicAddresses(host);
        } catch (UnknownHostException e) {
            throw new Refused("unresolvable_host", "the host " + host + " could not be resolved");
        }
        return uri;
    }

    /**
     * A resolver for {@code HttpClient.setSocketAddressResolver}: resolves on {@code executor}, as Jetty's own
     * asynchronous resolver does, and fails the connection with a {@link Refused} ({@code private_address}) when
     * the host has an address that is not public, unless private addresses are allowed. An unknown host fails with
     * {@link UnknownHostException}, as with Jetty's resolver. The executor should be one that may block (DNS
     * does), such as virtual threads; unlike Jetty's resolver this one has no timeout of its own, so the request's
     * timeout bounds a slow lookup.
     */
    public SocketAddressResolver resolver(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return (host, port, promise) -> executor.execute(() -> {
            List<InetSocketAddress> result = new ArrayList<>();
            try {
                for (InetAddress address : publicAddresses(host)) result.add(new InetSocketAddress(address, port));
            } catch (Throwable x) {
                promise.failed(x);
                return;
            }
            promise.succeeded(result);
        });
    }

    /** The host's addresses, none of them private unless that is allowed. */
    private InetAddress[] publicAddresses(String host) throws UnknownHostException {
        InetAddress[] addresses = isLiteral(host) ? InetAddress.getAllByName(host) : lookup.addresses(host);
        if (addresses == null || addresses.length == 0) throw new UnknownHostException(host);
        if (allowPrivate) return addresses;
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new Refused("private_address", "the host " + host + " has the address "
                        + address.getHostAddress() + ", which is not public; private and loopback addresses are"
                        + " allowed only when the operator sets SWITCHBOARD_ALLOW_PRIVATE_URLS=true");
            }
        }
        return addresses;
    }

    /** An IPv6 literal (bracketed or not) or a dotted IPv4 one, which the JDK turns into an address without DNS. */
    private static boolean isLiteral(String host) {
        return host.startsWith("[") || host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Whether {@code a} is an address on the public internet: not loopback, unspecified, link-local (which holds
     * the cloud metadata service, 169.254.169.254), private, shared (CGNAT), multicast, reserved, benchmarking or
     * documentation, and not an IPv6 address that embeds an IPv4 address which is any of those.
     */
    public static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = a.getAddress();
        for (Cidr range : NOT_PUBLIC) {
            if (range.contains(bytes)) return false;
        }
        if (a instanceof Inet6Address) {
            for (Embedding embedding : EMBEDDINGS) {
                if (embedding.range().contains(bytes)) return isPublic(embedding.ipv4(bytes));
            }
        }
        return true;
    }

    /**
     * Ranges that are not public and that InetAddress's own methods above do not cover (those cover 127/8, ::1,
     * 0.0.0.0, ::, 169.254/16, fe80::/10, 10/8, 172.16/12, 192.168/16, fec0::/10, 224/4 and ff00::/8).
     */
    private static final List<Cidr> NOT_PUBLIC = List.of(
            Cidr.of("0.0.0.0/8"),        // "this network"
            Cidr.of("100.64.0.0/10"),    // shared address space (carrier-grade NAT)
            Cidr.of("192.0.0.0/24"),     // IETF protocol assignments
            Cidr.of("192.0.2.0/24"),     // documentation (TEST-NET-1)
            Cidr.of("198.18.0.0/15"),    // benchmarking
            Cidr.of("198.51.100.0/24"),  // documentation (TEST-NET-2)
            Cidr.of("203.0.113.0/24"),   // documentation (TEST-NET-3)
            Cidr.of("240.0.0.0/4"),      // reserved, and 255.255.255.255 broadcast
            Cidr.of("100::/64"),         // discard-only
            Cidr.of("64:ff9b:1::/48"),   // NAT64 for local use
            Cidr.of("2001::/32"),        // Teredo: its client address is obfuscated, so it cannot be checked
            Cidr.of("2001:db8::/32"),    // documentation
            Cidr.of("fc00::/7"));        // unique local

    /** IPv6 forms that carry an IPv4 address, which then decides. */
    private static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding(new Cidr(new byte[16], 96), 12),  // IPv4-compatible, ::a.b.c.d (deprecated)
            new Embedding(new Cidr(mappedPrefix(), 96), 12), // IPv4-mapped, ::ffff:a.b.c.d
            new Embedding(Cidr.of("64:ff9b::/96"), 12),      // NAT64
            new Embedding(Cidr.of("2002::/16"), 2));         // 6to4, 2002:aabb:ccdd::

    private static byte[] mappedPrefix() {
        // Not parsed from "::ffff:0:0": the JDK turns a mapped literal into an IPv4 address.
        byte[] prefix = new byte[16];
        prefix[10] = (byte) 0xff;
        prefix[11] = (byte) 0xff;
        return prefix;
    }

    private record Embedding(Cidr range, int offset) {
        InetAddress ipv4(byte[] ipv6) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(ipv6, offset, offset + 4));
            } catch (UnknownHostException impossible) { // only for a length other than 4 or 16
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** An address range: the first {@code bits} bits of {@code prefix}. */
    private record Cidr(byte[] prefix, int bits) {
        static Cidr of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                return new Cidr(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) { // the table holds literals only, which need no DNS
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) return false;
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) return false;
            }
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
