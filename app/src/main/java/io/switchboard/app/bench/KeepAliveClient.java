package io.switchboard.app.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that sends the same request again and again, on a plain socket: a load
 * generator written by hand because a full HTTP client costs several times the CPU per request, CPU it would take
 * from the gateway under test on a 2-core machine (the same client drives Switchboard and Kannel, so both pay the
 * same). Reconnects when the server closes the connection.
 */
public final class KeepAliveClient implements AutoCloseable {
    private static final int TIMEOUT_MS = 5000;

    private final int port;
    private final byte[] request;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final StringBuilder line = new StringBuilder();

    private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();

    /** {@code request} is a whole HTTP/1.1 request (line, headers and any body) to send to 127.0.0.1:{@code port}. */
    public KeepAliveClient(int port, byte[] request) {
        this.port = port;
        this.request = request.clone();
    }

    /** A request with a JSON body. */
    public static byte[] post(int port, String path, String token, String json) {
        byte[] content = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: keep-alive\r\n"
                + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    public static byte[] get(int port, String target) {
        return ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: keep-alive\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The body of the last answer. */
    public String body() {
        return body.toString(StandardCharsets.UTF_8);
    }

    /** Sends the request once; answers the HTTP status. */
    public int send() throws IOException {
        if (socket == null) connect();
        try {
            return exchange();
        } catch (IOException stale) {
            // smsbox may have closed an idle keep-alive connection: one retry on a fresh one
            close();
            connect();
            return exchange();
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
        in = new BufferedInputStream(socket.getInputStream(), 4096);
        out = socket.getOutputStream();
    }

    private int exchange() throws IOException {
        out.write(request);
        out.flush();
        String status = readLine();
        if (status == null || !status.startsWith("HTTP/1.")) throw new IOException("bad status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean closeAfter = status.startsWith("HTTP/1.0");
        String header;
        while ((header = readLine()) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon < 0) continue;
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
            else if (name.equalsIgnoreCase("Connection")) closeAfter = value.equalsIgnoreCase("close");
        }
        if (header == null) throw new IOException("connection closed in headers");
        if (length < 0) throw new IOException("no Content-Length in the answer");
        body.reset();
        for (long left = length; left > 0; left--) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed in body");
            body.write(b);
        }
        if (closeAfter) close();
        return code;
    }

    private String readLine() throws IOException {
        line.setLength(0);
        for (int i = 0; i < 8192; i++) {
            int b = in.read();
            if (b < 0) return line.isEmpty() ? null : line.toString();
            if (b == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') line.setLength(n - 1);
                return line.toString();
            }
            line.append((char) b);
        }
        throw new IOException("header line too long");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
