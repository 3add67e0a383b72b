"""A real SMTP server on loopback for task tests: it records the messages it accepts,
can be stopped and started again on the same port (an outage), and can hold its answer
to a message (a slow server) so a worker can be killed while sending."""

import contextlib
import socket
import socketserver
import threading

import pytest

from tests.fixtures_redis import free_port


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def client_gone(self):
        self.connection.setblocking(False)
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True
        finally:
            self.connection.setblocking(True)

    def handle(self):
        server = self.server.smtp
        self.reply("220 test SMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data)
                server.receiving.set()
                # Until the 250 the message is not accepted: a client that dies here has
                # not sent it.
                server.release.wait()
                if self.server.closing or self.client_gone():
                    return
                server.accept(recipients, b"".join(lines).decode(errors="replace"))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    closing = False


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.lock = threading.Lock()
        self.receiving = threading.Event()
        self.release = threading.Event()
        self.release.set()
        self._server = None

    def accept(self, recipients, text):
        with self.lock:
            self.messages.append({"to": recipients, "text": text})

    def start(self):
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.smtp = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        if self._server is not None:
            self._server.closing = True
            self.release.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def hold(self):
        """Hold the answer to the next message until ``let_go``."""
        self.receiving.clear()
        self.release.clear()

    def let_go(self):
        self.release.set()

    def refuses(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
        except OSError:
            return True
        return False


@pytest.fixture
def smtp_server():
    """An SMTP server on a free loopback port, not yet started (``start()``)."""
    server = SMTPServer()
    yield server
    server.stop()


class TCPProxy:
    """A loopback TCP forwarder to ``target``; ``stop()`` drops every connection and
    refuses new ones (a database outage as its clients see it), ``start()`` ends it."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self._listener = None
        self._sockets = []
        self._lock = threading.Lock()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def stop(self):
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
