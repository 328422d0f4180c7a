# miner-controller container image: built on Debian 12, run on debian:12-slim as uid 1000.
#   docker build -t miner-controller .                 (--build-arg JOBS=2 on a small box)
#   docker run -d --name miner-controller -p 8080:8080 -v "$PWD/config:/config" miner-controller
# or `docker compose up -d` (docker-compose.yml). See README "Docker".
# Not built where it was written (no Docker engine there); scripts/check-runtime-deps.sh checks
# the runtime package list below against the installed binary and plugins (CTest runtime_deps).

# --- build: the same packages as a developer machine, the release preset, installed to /out/usr
FROM debian:12 AS build
ARG JOBS=""
ENV CCACHE_DISABLE=1
WORKDIR /src
COPY scripts/install-deps.sh scripts/
RUN bash scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
# BUILD_TESTING=OFF: the tests need ../shared/fixtures, which is not in the build context.
RUN cmake --preset release -DBUILD_TESTING=OFF -DCMAKE_INSTALL_PREFIX=/usr \
 && cmake --build --preset release -j "${JOBS:-$(nproc)}" \
 && DESTDIR=/out cmake --install build/release --strip

# --- runtime: only the shared libraries the binary and plugins link (scripts/runtime-deps.sh)
FROM debian:12-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libboost-json1.81.0 libc6 libcaf-core0.17 libgcc-s1 libssl3 libstdc++6 libtcmalloc-minimal4 libyaml-cpp0.7 \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 1000 --user-group --no-create-home --home-dir /config --shell /usr/sbin/nologin miner \
 && mkdir -p /config && chown miner:miner /config
# bin/miner-controller, lib/<arch>/miner-controller/drivers, share/miner-controller (first-run
# files), include/ and share/doc/ (driver SDK and guide).
COPY --from=build /out/usr/ /usr/
# The listen address inside the container; config.yaml's server.listen does not apply here.
ENV MC_LISTEN=0.0.0.0:8080
EXPOSE 8080
VOLUME /config
USER miner
WORKDIR /config
# The service stops on SIGTERM: it stops accepting, ends the pollers, answers or aborts what is
# in flight (at most 3 s) and exits 0. It runs as PID 1 (exec form) and handles the signal itself.
STOPSIGNAL SIGTERM
# No curl in the image: bash's /dev/tcp sends GET /healthz and the check wants "200" back.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["bash", "-c", "listen=${MC_LISTEN:-:8080} && exec 3<>/dev/tcp/127.0.0.1/${listen##*:} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]
CMD ["miner-controller", "--config", "/config"]
