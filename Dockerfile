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
# 0.0.0.0 inside the container is what a port mapping reaches. mcp-go refuses
# a non-localhost Host only on connections to a loopback address, and mapped
# connections arrive on the container's own address, so the Host check does
# not apply here: publish the port on 127.0.0.1 (-p 127.0.0.1:8080:8080)
# unless a proxy in front checks Host. The Origin check (browsers) still
# applies; --allow-origins / CLICKUP_MCP_ALLOW_ORIGINS widens it.
# The image holds no token: each client sends its own
# (Authorization: Bearer pk_...), or pass -e CLICKUP_API_TOKEN for one user.
ENTRYPOINT ["/usr/local/bin/clickup-mcp"]
CMD ["--transport", "http", "--addr", "0.0.0.0:8080"]
