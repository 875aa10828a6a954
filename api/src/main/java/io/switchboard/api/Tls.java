package io.switchboard.api;

import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The optional HTTPS listener beside plain HTTP, for clients that speak only HTTPS (some Cloud API libraries):
 * {@code host} and {@code port} (0: any free one; -1: none) with the certificate and key in a PKCS12 keystore. The password is never
 * shown by {@link #toString()}.
 */
public record Tls(String host, int port, Path keystore, String password) {
    public static final Tls NONE = new Tls(null, -1, null, null);

    public boolean enabled() {
        return port >= 0;
    }

    /** A connector that speaks TLS, then HTTP/1.1 with the API's own settings. */
    ServerConnector connector(Server server, HttpConfiguration http) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toAbsolutePath().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(password == null ? "" : password);
        HttpConfiguration https = new HttpConfiguration(http);
        // SNI checks would refuse clients that connect by IP address (127.0.0.1) to a certificate named otherwise.
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    @Override
    public String toString() {
        return enabled() ? "Tls[port=" + port + ", keystore=" + keystore + ", password=***]" : "Tls[off]";
    }
}
