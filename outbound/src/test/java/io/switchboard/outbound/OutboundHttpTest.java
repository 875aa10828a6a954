package io.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbound client against real servers on loopback: its bounds on an answer's size and on an exchange's time. */
class OutboundHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX = 1_024;

    private final AtomicInteger served = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private HttpServer server;
    private OutboundHttp http;

    @AfterEach
    void stop() {
        if (http != null) http.close();
        if (server != null) server.stop(0);
    }

    /** A server on loopback whose every answer {@code handler} writes; answers its URI on {@code host}. */
    private URI serve(String host, HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                handler.handle(exchange);
            } catch (IOException e) {
                // the client went away
            }
        });
        server.start();
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + "/answer");
    }

    private OutboundHttp client(OutboundUrls urls) {
        http = new OutboundHttp(urls, "Switchboard-Test/1", TIMEOUT, 8);
        return http;
    }

    /** Writes {@code total} bytes in chunks of a KiB, {@code pauseMillis} apart, counting what went out. */
    private HttpHandler body(int status, long contentLength, long total, long pauseMillis) {
        return exchange -> {
            exchange.sendResponseHeaders(status, contentLength);
            OutputStream out = exchange.getResponseBody();
            byte[] chunk = new byte[1_024];
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk);
                out.flush();
                written.addAndGet(chunk.length);
                sleep(pauseMillis);
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anAnswerWithinTheBoundIsReadWhole() throws Exception {
        URI uri = serve("127.0.0.1", body(200, MAX, MAX, 0));
        OutboundHttp.Received received = client(new OutboundUrls(true)).exchange(http.request(uri, TIMEOUT), MAX);
        assertThat(received.status()).isEqualTo(200);
        assertThat(received.body()).hasSize(MAX);
    }

    @Test
    void anAnswerThatSaysItIsLargerThanTheBoundIsRefusedBeforeItsBodyIsRead() throws IOException {
        URI uri = serve("127.0.0.1", body(200, 64L * MAX, 64L * MAX, 0));
        assertThatThrownBy(() -> client(new OutboundUrls(true)).exchange(http.request(uri, TIMEOUT), MAX))
                .isInstanceOfSatisfying(AnswerTooLarge.class, tooLarge -> {
                    assertThat(tooLarge.declared()).isEqualTo(64L * MAX);
                    assertThat(tooLarge.limit()).isEqualTo(MAX);
                });
    }

    @Test
    void anAnswerWithoutALengthIsCutOffPastTheBound() throws IOException {
        // 64 MiB, more than the client may read, and sent without a Content-Length.
        URI uri = serve("127.0.0.1", body(200, 0, 64L * 1_048_576, 0));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client(new OutboundUrls(true)).exchange(http.request(uri, Duration.ofSeconds(30)), MAX))
                .isInstanceOfSatisfying(AnswerTooLarge.class, tooLarge -> assertThat(tooLarge.declared()).isEqualTo(-1));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut off, not read to the end").isLessThan(Duration.ofSeconds(10));
        sleep(200);
        assertThat(written.get()).as("bytes the server got out before the client hung up").isLessThan(64L * 1_048_576);
    }

    @Test
    void aServerThatSendsItsHeadersThenDripsItsBodyIsCutOffAtTheTimeout() throws IOException {
        // A KiB every 100 ms, 100 KiB in all: ten seconds, where the exchange may take one.
        URI uri = serve("127.0.0.1", body(200, 0, 100 * 1_024, 100));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client(new OutboundUrls(true)).exchange(http.request(uri, TIMEOUT), 1_048_576))
                .isInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(500));
        assertThat(written.get()).as("the body had begun").isPositive();
    }

    @Test
    void aServerThatSendsItsHeadersThenNothingIsCutOffAtTheTimeout() throws IOException {
        URI uri = serve("127.0.0.1", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().flush();
            sleep(30_000);
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> client(new OutboundUrls(true)).exchange(http.request(uri, TIMEOUT), MAX))
                .isInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(500));
    }

    @Test
    void aRedirectIsAnsweredAsItIsNotFollowed() throws Exception {
        URI uri = serve("127.0.0.1", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
        });
        assertThat(client(new OutboundUrls(true)).exchange(http.request(uri, TIMEOUT), MAX).status()).isEqualTo(302);
        assertThat(served).hasValue(1);
    }

    @Test
    void aHostNameThatResolvesToLoopbackWhenConnectingIsRefusedUnlessPrivateAddressesAreAllowed() throws Exception {
        // Public when the URL was saved, loopback by the time the client connects (DNS rebinding).
        AtomicInteger lookups = new AtomicInteger();
        OutboundUrls.Lookup rebinding = host -> new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1")};
        URI uri = serve("graph.example", body(200, MAX, MAX, 0));
        OutboundUrls strict = new OutboundUrls(false, rebinding);
        assertThat(strict.check(uri.toString())).hasHost("graph.example");
        assertThatThrownBy(() -> client(strict).exchange(http.request(uri, TIMEOUT), MAX))
                .isInstanceOfSatisfying(OutboundUrls.Refused.class,
                        refused -> assertThat(refused.code()).isEqualTo("private_address"));
        assertThat(served).as("calls that reached the server").hasValue(0);
        http.close();

        OutboundUrls lenient = new OutboundUrls(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
        assertThat(client(lenient).exchange(http.request(uri, TIMEOUT), MAX).status()).isEqualTo(200);
    }
}
