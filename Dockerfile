# clickup-mcp as a container: the static binary, CA certificates for
# api.clickup.com, a non-root user, nothing else (no shell, no libc).
#
# The context must hold a static linux binary named clickup-mcp and a CA
# bundle named ca-certificates.crt (base images cannot be pulled everywhere
# this is built, so none is used; .dockerignore keeps the rest out):
#
#   CGO_ENABLED=0 GOOS=linux go build -trimpath -o clickup-mcp .
#   cp /etc/ssl/certs/ca-certificates.crt .
#   podman build -t clickup-mcp .        # or: docker build -t clickup-mcp .
FROM scratch
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY clickup-mcp /usr/local/bin/clickup-mcp
# 65532 is the "nonroot" user of distroless images; scratch has no
# /etc/passwd, so the numeric id is all there is.
USER 65532:65532
# HOME lets `clickup-mcp auth` find a config directory if one is mounted.
ENV HOME=/home/nonroot
EXPOSE 8080
# HTTP on 0.0.0.0:8080 inside the container is what a port mapping reaches.
# The defaults are environment variables, not CMD flags, so arguments after
# the image name add to them (podman run IMAGE --sandbox) and -e overrides
# them. mcp-go's DNS-rebinding guard looks at Host only on loopback
# connections, and mapped connections arrive on the container's own
# address, so the Host check is set here: the names a client uses for a
# port published on this machine (-p 127.0.0.1:8080:8080). Behind a proxy
# or on a public name, set yours, e.g.
#   -e CLICKUP_MCP_ALLOWED_HOSTS=mcp.example.com
# (--public-url's host is always allowed too). The Origin check (browsers)
# applies as well; --allow-origins / CLICKUP_MCP_ALLOW_ORIGINS widens it.
# /healthz, /readyz and /metrics answer any Host, for probes by pod IP.
# The image holds no token: each client sends its own
# (Authorization: Bearer pk_...), or pass -e CLICKUP_API_TOKEN for one user.
ENV CLICKUP_MCP_TRANSPORT=http \
    CLICKUP_MCP_ADDR=0.0.0.0:8080 \
    CLICKUP_MCP_ALLOWED_HOSTS=localhost,127.0.0.1,[::1]
ENTRYPOINT ["/usr/local/bin/clickup-mcp"]
