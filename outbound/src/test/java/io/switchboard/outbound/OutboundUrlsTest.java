package io.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.ContentResponse;
import org.eclipse.jetty.client.util.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundUrlsTest {
    /** A DNS for names in tests, so that no test depends on the network; literals must never reach it. */
    private static OutboundUrls.Lookup dns(Map<String, String[]> names) {
        return host -> {
            assertThat(host).as("an IP literal was sent to DNS").doesNotContain(":").matches(".*[a-zA-Z].*");
            String[] addresses = names.get(host);
            if (addresses == null) throw new UnknownHostException(host);
            InetAddress[] result = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) result[i] = InetAddress.getByName(addresses[i]);
            return result;
        };
    }

    private static final OutboundUrls.Lookup DNS = dns(Map.of(
            "hook.example", new String[] {"93.184.216.34"},
            "dual.example", new String[] {"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"},
            "split.example", new String[] {"93.184.216.34", "10.0.0.7"},
            "inside.example", new String[] {"fd00::7"}));

    private final OutboundUrls strict = new OutboundUrls(false, DNS);
    private final OutboundUrls lenient = new OutboundUrls(true, DNS);

    @ParameterizedTest(name = "{0} is public: {1}")
    @CsvSource({
            // IPv4: what InetAddress's own methods know
            "127.0.0.1, false", "127.255.255.254, false", "0.0.0.0, false", "10.1.2.3, false", "172.16.0.1, false",
            "172.31.255.255, false", "192.168.1.1, false", "169.254.169.254, false", "169.254.0.1, false",
            "224.0.0.1, false", "239.255.255.250, false",
            // IPv4: the table
            "0.1.2.3, false", "100.64.0.1, false", "100.127.255.255, false", "192.0.0.8, false", "192.0.2.1, false",
            "198.18.0.1, false", "198.19.255.255, false", "198.51.100.7, false", "203.0.113.9, false",
            "240.0.0.1, false", "255.255.255.255, false",
            // IPv4: public, including the neighbours of the ranges above
            "93.184.216.34, true", "8.8.8.8, true", "1.1.1.1, true", "9.255.255.255, true", "11.0.0.1, true",
            "126.255.255.255, true", "128.0.0.1, true", "172.15.255.255, true", "172.32.0.1, true",
            "100.63.255.255, true", "100.128.0.1, true", "169.253.255.255, true", "169.255.0.1, true",
            "192.0.1.1, true", "192.0.3.1, true", "192.167.255.255, true", "192.169.0.1, true",
            "198.17.255.255, true", "198.20.0.1, true", "198.51.99.1, true", "203.0.114.1, true",
            "223.255.255.255, true",
            // IPv6
            "::1, false", "::, false", "fe80::1, false", "febf::1, false", "fec0::1, false", "fc00::1, false",
            "fd12:3456::1, false", "ff02::1, false", "2001:db8::1, false", "2001:db8:ffff::1, false", "100::1, false",
            "2001::1, false", "64:ff9b:1::1, false",
            "2606:4700:4700::1111, true", "2001:4860:4860::8888, true", "2a00:1450:4001::1, true",
            "2001:db9::1, true", "2001:1::1, true",
            // IPv6 forms that carry an IPv4 address: mapped (the JDK makes these IPv4), compatible, NAT64, 6to4
            "::ffff:127.0.0.1, false", "::ffff:10.0.0.1, false", "::ffff:93.184.216.34, true",
            "::127.0.0.1, false", "::10.0.0.1, false", "::169.254.169.254, false", "::93.184.216.34, true",
            "64:ff9b::7f00:1, false", "64:ff9b::a9fe:a9fe, false", "64:ff9b::c0a8:101, false",
            "64:ff9b::5db8:d822, true",
            "2002:7f00:1::1, false", "2002:c0a8:101::1, false", "2002:a9fe:a9fe::, false", "2002:5db8:d822::1, true"})
    void addressesAreJudgedPublicOrNot(String literal, boolean expected) throws UnknownHostException {
        assertThat(OutboundUrls.isPublic(InetAddress.getByName(literal))).as(literal).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, false", "10.0.0.1, false", "169.254.169.254, false", "100.64.0.1, false",
            "0.0.0.0, false", "93.184.216.34, true"})
    void anIpv4MappedAddressHeldAsIpv6IsJudgedByItsIpv4Address(String ipv4, boolean expected) throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, mapped, 12, 4);
        // Inet6Address.getByAddress keeps the IPv6 form, which InetAddress.getByName would not.
        Inet6Address address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(OutboundUrls.isPublic(address)).as(address.getHostAddress()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hook.example/x", "file:///etc/passwd", "gopher://hook.example/", "hook.example/x",
            "http:///hook", "http:hook", "https://user:pass@hook.example/hook", "https://user@hook.example/hook",
            "http://hook.example/a b", "http://127.1/", ""})
    void malformedUrlsAreRefusedWhateverTheOperatorAllows(String url) {
        for (OutboundUrls urls : new OutboundUrls[] {strict, lenient}) {
            assertThat(refusal(urls, url).code()).as(url).isEqualTo("invalid_url");
        }
    }

    @Test
    void aUrlLongerThan2048CharactersIsRefused() {
        String base = "https://hook.example/";
        assertThat(strict.check(base + "a".repeat(2048 - base.length()))).isNotNull();
        assertThat(refusal(strict, base + "a".repeat(2049 - base.length())).code()).isEqualTo("invalid_url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/x", "http://localhost/", "http://[::1]/", "http://10.1.2.3/",
            "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]/", "http://2130706433/",
            "https://split.example/hook", "https://inside.example/hook"})
    void privateAndLoopbackHostsAreRefusedUnlessAllowed(String url) {
        // localhost goes to the system's resolver, which answers it from the hosts file.
        OutboundUrls system = new OutboundUrls(false);
        OutboundUrls urls = url.contains(".example") ? strict : system;
        assertThat(refusal(urls, url).code()).as(url).isEqualTo("private_address");
        OutboundUrls allowing = url.contains(".example") ? lenient : new OutboundUrls(true);
        assertThat(allowing.check(url)).isEqualTo(URI.create(url));
        assertThat(allowing.allowsPrivate()).isTrue();
        assertThat(system.allowsPrivate()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/hook", "http://93.184.216.34:8080/hook?x=1",
            "https://[2606:4700:4700::1111]/hook", "https://hook.example/hook", "https://dual.example/hook",
            "HTTPS://hook.example/hook"})
    void publicHostsAreAccepted(String url) {
        assertThat(strict.check(url)).isEqualTo(URI.create(url));
    }

    @Test
    void anIpLiteralIsCheckedWithoutDns() {
        OutboundUrls noDns = new OutboundUrls(false, host -> {
            throw new AssertionError("DNS was asked about " + host);
        });
        assertThat(noDns.check("https://93.184.216.34/hook")).hasHost("93.184.216.34");
        assertThat(noDns.check("https://[2606:4700:4700::1111]:8443/hook")).hasPort(8443);
        assertThat(refusal(noDns, "http://[fd00::1]/").code()).isEqualTo("private_address");
    }

    @Test
    void aHostThatDoesNotResolveIsRefusedEvenWhenPrivateAddressesAreAllowed() {
        assertThat(refusal(strict, "https://nowhere.example/hook").code()).isEqualTo("unresolvable_host");
        assertThat(refusal(lenient, "https://nowhere.example/hook").code()).isEqualTo("unresolvable_host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook?token=secret", "https://nowhere.example/secret/hook",
            "ftp://hook.example/hook?token=secret", "https://user:secret@hook.example/hook",
            "https://hook.example/hook?token=secret x", "http://10.0.0.1/secret#secret"})
    void theRefusalNamesTheHostButNeverThePathQueryOrPassword(String url) {
        OutboundUrls.Refused refused = refusal(strict, url);
        assertThat(refused.getMessage()).as(url).doesNotContainIgnoringCase("secret");
        if (!url.contains(" ")) assertThat(refused.getMessage()).contains(URI.create(url).getHost());
    }

    private static OutboundUrls.Refused refusal(OutboundUrls urls, String url) {
        OutboundUrls.Refused refused = catchThrowableOfType(OutboundUrls.Refused.class, () -> urls.check(url));
        assertThat(refused).as("refusal of " + url).isNotNull();
        return refused;
    }

    // The connection-time check, through Jetty's client to a real server on this machine.
    private final AtomicInteger served = new AtomicInteger();
    private final ExecutorService resolving = Executors.newVirtualThreadPerTaskExecutor();
    private HttpServer server;
    private HttpClient http;

    @AfterEach
    void stop() throws Exception {
        if (http != null) http.stop();
        if (server != null) server.stop(0);
        resolving.shutdownNow();
    }

    /** A URL on a real local server that answers 200 and counts what it serves, with a secret in its query. */
    private String local(String host) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return "http://" + host + ":" + server.getAddress().getPort() + "/hook?token=secret";
    }

    private ContentResponse post(OutboundUrls urls, String url) throws Exception {
        http = new HttpClient();
        http.setSocketAddressResolver(urls.resolver(resolving));
        http.setFollowRedirects(false);
        http.start();
        return http.POST(url).body(new StringRequestContent("application/json", "{}"))
                .timeout(10, TimeUnit.SECONDS).send();
    }

    @Test
    void theClientRefusesToConnectToLoopbackWhenPrivateAddressesAreNotAllowed() throws IOException {
        String url = local("127.0.0.1");
        assertThatThrownBy(() -> post(new OutboundUrls(false), url))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(OutboundUrls.Refused.class, refused -> {
                    assertThat(refused.code()).isEqualTo("private_address");
                    assertThat(refused.getMessage()).contains("127.0.0.1").doesNotContain("secret");
                });
        assertThat(served).as("calls that reached the server").hasValue(0);
    }

    @Test
    void theClientConnectsToLoopbackWhenPrivateAddressesAreAllowed() throws Exception {
        assertThat(post(new OutboundUrls(true), local("127.0.0.1")).getStatus()).isEqualTo(200);
        assertThat(served).hasValue(1);
    }

    @Test
    void aHostThatPassedTheCheckButNowResolvesToLoopbackIsRefusedWhenConnecting() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        OutboundUrls.Lookup rebinding = host -> new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1")};
        OutboundUrls urls = new OutboundUrls(false, rebinding);
        String url = local("rebound.example");
        assertThat(urls.check(url)).hasHost("rebound.example");
        assertThatThrownBy(() -> post(urls, url))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(OutboundUrls.Refused.class,
                        refused -> assertThat(refused.code()).isEqualTo("private_address"));
        assertThat(lookups).as("lookups: one to check, one to connect").hasValue(2);
        assertThat(served).as("calls that reached the server").hasValue(0);
    }
}
