# Switchboard's release on a Java 21 runtime. Make the release first, then the image:
#   ./switchboard dist && docker build -t switchboard .
# The data folder (embedded store, master.key) is the volume /var/lib/switchboard; compose.yaml runs it on PostgreSQL.
FROM eclipse-temurin:21-jre
ARG VERSION=0.1.0-SNAPSHOT
# ADD unpacks a local tarball: /opt/switchboard-VERSION
ADD app/target/switchboard-${VERSION}.tar.gz /opt/
RUN ln -s /opt/switchboard-${VERSION} /opt/switchboard \
 && useradd --system --home-dir /var/lib/switchboard --create-home --shell /usr/sbin/nologin switchboard \
 && chmod 700 /var/lib/switchboard
USER switchboard
WORKDIR /var/lib/switchboard
VOLUME /var/lib/switchboard
ENV SWITCHBOARD_DATA=/var/lib/switchboard \
    SWITCHBOARD_HTTP_PORT=8080
EXPOSE 8080
# /health over bash's /dev/tcp: the JRE image has no curl to rely on.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SWITCHBOARD_HTTP_PORT} && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == *' 200 '* ]]"]
ENTRYPOINT ["/opt/switchboard/switchboard"]
CMD ["server"]
