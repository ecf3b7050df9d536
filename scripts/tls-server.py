#!/usr/bin/env python3
"""A published server with TLS on loopback for scripts/tls-bench.sh and the
e2e HTTPS test: Python's http.server (a thread per connection, HTTP/1.1
keep-alive) wrapped with the ssl module.

    tls-server.py PORT CERT.pem KEY.pem   # https://
    tls-server.py PORT                    # the same server in cleartext

GET /fast answers "ok"; GET /health answers "ok"; anything else 404.
"""
import http.server
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        body = b"ok" if path in ("/fast", "/health", "/") else b"not found"
        self.send_response(200 if body == b"ok" else 404)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    port = int(sys.argv[1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    if len(sys.argv) == 4:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        context.set_alpn_protocols(["http/1.1"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
