"""The client's address behind reverse proxies.

`TONGXIN_TRUSTED_PROXIES` says how many proxies in front of Tongxin append to
`X-Forwarded-For`. With N trusted proxies the client is the N-th address from the right of
`X-Forwarded-For` + the connection's address; anything further left was written by the client
and is ignored. With 0 (the default) the header is never read. The middleware puts the result in
`REMOTE_ADDR` so the lockout, the audit log and everything else see the same address; the
connection's own address stays in `TONGXIN_PEER_ADDR`."""

import ipaddress

from django.conf import settings


def client_address(meta, trusted: int) -> str:
    peer = meta.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return peer
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, peer]
    candidate = chain[-(trusted + 1)] if len(chain) > trusted else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        meta["TONGXIN_PEER_ADDR"] = meta.get("REMOTE_ADDR", "")
        meta["REMOTE_ADDR"] = client_address(meta, settings.TRUSTED_PROXIES)
        return self.get_response(request)
