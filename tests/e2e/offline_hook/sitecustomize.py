"""Loaded into the program under test: any network use outside loopback fails loudly."""

import socket

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo
_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")


def _is_local(address):
    if isinstance(address, tuple):
        return str(address[0]).startswith(_LOCAL)
    return True  # unix sockets


def _connect(self, address):
    if not _is_local(address):
        raise RuntimeError(f"network use while offline: connect to {address!r}")
    return _real_connect(self, address)


def _getaddrinfo(host, *args, **kwargs):
    if host is not None and not str(host).startswith(_LOCAL):
        raise RuntimeError(f"network use while offline: lookup of {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _connect
socket.getaddrinfo = _getaddrinfo
