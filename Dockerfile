# syntax=docker/dockerfile:1
# apisix-sync-exporter container image:
#   docker build -t apisix-sync-exporter .
#   docker run --rm -p 10299:10299 apisix-sync-exporter demo    # then open http://localhost:10299/

# ---- build: release binary with the Swift standard library and Foundation linked statically
FROM swift:6.3-noble AS build
WORKDIR /src
# Dependencies first, so that source changes do not refetch them (Package.resolved is used when present).
COPY Package.* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product apisix-sync-exporter \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/apisix-sync-exporter" /staging/ \
    && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/

# ---- runtime: glibc and libstdc++ from the base image, CA certificates for HTTPS to the APISIX Admin API
FROM ubuntu:noble
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="apisix-sync-exporter" \
      org.opencontainers.image.description="Prometheus exporter measuring how long APISIX takes to reflect Kubernetes EndpointSlice changes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# Unpinned on purpose: CA certificates should be the distribution's current ones.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /staging/ /usr/local/bin/
# Swift's crash backtracer, as the swift-server templates set it up: readable crash reports on standard error.
ENV SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/local/bin/swift-backtrace-static
# nobody:nogroup, as in deploy/base (runAsUser/runAsGroup 65534).
USER 65534:65534
EXPOSE 10299
ENTRYPOINT ["/usr/local/bin/apisix-sync-exporter"]
