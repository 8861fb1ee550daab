# rcim-server in a container: a release build in a Rust image, run as a non-root user from a
# slim Debian image with the data directory on a volume.
#
#   docker build -t rcim-server .
#   docker run -d --name rcim -v rcim-data:/var/lib/rcim -p 8100:8100 -p 8101:8101 \
#     -e RCIM_APP_KEY=... -e RCIM_APP_SECRET=... rcim-server
#   docker exec rcim rcim-server token --user alice
#
# Every option is also an RCIM_* variable (see `rcim-server --help`). The admin listener
# (Server API, /metrics) is off the public port when RCIM_ADMIN_HTTP is set: publish it only
# to the operators' network.

FROM rust:1.95-bookworm AS build
WORKDIR /src
# The workspace manifests and sources; .dockerignore keeps the app, node_modules and targets
# out. Only rcim-server and its dependencies are compiled.
COPY Cargo.toml Cargo.lock ./
COPY rust ./rust
RUN cargo build --release --locked -p rcim-server \
    && install -D -m 0755 target/release/rcim-server /out/rcim-server

FROM debian:bookworm-slim
# CA certificates: the push providers (APNs, FCM) are reached over HTTPS.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 rcim \
    && useradd --system --uid 10001 --gid rcim --home-dir /var/lib/rcim --shell /usr/sbin/nologin rcim \
    && install -d -o rcim -g rcim -m 0750 /var/lib/rcim
COPY --from=build /out/rcim-server /usr/local/bin/rcim-server
ENV RCIM_DATA_DIR=/var/lib/rcim \
    RCIM_LISTEN=0.0.0.0:8100 \
    RCIM_HTTP=0.0.0.0:8101 \
    RCIM_LOG_FORMAT=json
VOLUME ["/var/lib/rcim"]
# 8100: client gateway; 8101: navigation, media, health (and the Server API without an admin
# listener); 8102: the conventional admin listener (RCIM_ADMIN_HTTP=0.0.0.0:8102).
EXPOSE 8100 8101 8102
USER 10001:10001
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/rcim-server"]
